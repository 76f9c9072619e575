import { TeamMembers } from "@/components/admin/team-members";
import { TeamSettingsForm } from "@/components/admin/team-settings-form";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { listReviewers, listTeams } from "@/lib/teams/teams";

export const metadata = { title: "Teams · Countersign" };

export default async function TeamsPage() {
  const { actor, refused } = await pageActor("admin", "/admin/teams");
  if (refused) return <Refusal actor={actor} surface="teams page" />;
  const [teams, reviewers] = await Promise.all([listTeams(), listReviewers()]);
  const names = teams.map((t) => t.name);
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div>
        <h1 className="text-xl font-semibold">Teams and queues</h1>
        <p className="mt-1 text-sm text-slate-600">
          A policy rule with <code>&quot;team&quot;</code> sends an item to that team&apos;s queue:
          its reviewers (and admins) see it, and so does anyone they have handed their queues to.
          Past the SLA it is escalated once (the contact is told, and it may move to another queue);
          it still expires at its own time.
        </p>
      </div>
      {teams.map((team) => (
        <section
          key={team.name}
          aria-labelledby={`team-${team.name}`}
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        >
          <h2 id={`team-${team.name}`} className="font-semibold">
            {team.title} <span className="font-normal text-slate-500">({team.name})</span>
          </h2>
          <TeamSettingsForm
            team={team}
            reviewers={reviewers}
            otherTeams={names.filter((n) => n !== team.name)}
          />
          <TeamMembers team={team.name} members={team.members} reviewers={reviewers} />
        </section>
      ))}
      <section
        aria-labelledby="new-team"
        className="space-y-3 rounded-lg border border-dashed border-slate-300 p-4"
      >
        <h2 id="new-team" className="font-semibold">
          New team
        </h2>
        <TeamSettingsForm reviewers={reviewers} otherTeams={names} />
      </section>
    </div>
  );
}

// /admin/teams' actions: admins only; a team's SLA and escalation checked (the contact is an
// active reviewer, the escalation queue another existing team); members added and removed; every
// change audited.
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { actorFor } from "../support/actors";
import { signedIn } from "../support/signed-in";

vi.mock("@/lib/auth/actor", () => import("../support/signed-in").then((m) => m.actorModuleMock()));
const { addMemberAction, createTeamAction, removeMemberAction, updateTeamAction } =
  await import("@/lib/teams/actions");

const NAMES = ["t_risk", "t_leads"];
afterAll(async () => {
  await db.team.deleteMany({ where: { name: { in: NAMES } } });
  signedIn.actor = null;
});

const lastAudit = () => db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });

describe("teams", () => {
  it("are refused to a reviewer", async () => {
    signedIn.actor = await actorFor("reviewer@example.com");
    expect(await createTeamAction({ name: "t_risk", title: "Risk", slaMinutes: 30 })).toMatchObject(
      { ok: false, error: { code: "forbidden" } },
    );
    expect(await db.team.findUnique({ where: { name: "t_risk" } })).toBeNull();
  });

  it("are created, renamed and given an SLA and escalation, audited; bad values name the field", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    expect(
      await createTeamAction({ name: "t_leads", title: "Leads", slaMinutes: 120 }),
    ).toMatchObject({ ok: true });
    const created = await createTeamAction({
      name: "t_risk",
      title: "Risk",
      slaMinutes: 30,
      escalationEmail: "reviewer2@example.com",
      escalateToTeam: "t_leads",
    });
    expect(created).toMatchObject({ ok: true });
    expect(await lastAudit()).toMatchObject({
      action: "team_created",
      actorEmail: "admin@example.com",
    });
    expect(await db.team.findUniqueOrThrow({ where: { name: "t_risk" } })).toMatchObject({
      slaSeconds: 1800,
      escalationEmail: "reviewer2@example.com",
      escalateToTeam: "t_leads",
    });

    expect(
      await createTeamAction({ name: "t_risk", title: "Again", slaMinutes: 30 }),
    ).toMatchObject({ ok: false, error: { code: "conflict" } });
    const customer = await updateTeamAction({
      name: "t_risk",
      title: "Risk",
      slaMinutes: 30,
      escalationEmail: "user@example.com",
    });
    expect(!customer.ok && customer.error.message).toMatch(
      /^escalation contact: user@example.com is not an active reviewer/,
    );
    const self = await updateTeamAction({
      name: "t_risk",
      title: "Risk",
      slaMinutes: 30,
      escalateToTeam: "t_risk",
    });
    expect(!self.ok && self.error.message).toMatch(/escalation queue: another team/);
    expect(await updateTeamAction({ name: "t_risk", title: "Risk", slaMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });

    expect(
      await updateTeamAction({
        name: "t_risk",
        title: "Risk desk",
        slaMinutes: 45,
        escalationEmail: "",
        escalateToTeam: "",
      }),
    ).toMatchObject({ ok: true });
    expect(await db.team.findUniqueOrThrow({ where: { name: "t_risk" } })).toMatchObject({
      title: "Risk desk",
      slaSeconds: 2700,
      escalationEmail: null,
      escalateToTeam: null,
    });
    expect(await lastAudit()).toMatchObject({
      action: "team_changed",
      payload: { title: "Risk desk", before: { title: "Risk", slaMinutes: 30 } },
    });
  });

  it("gain and lose reviewers, audited; a customer cannot join", async () => {
    signedIn.actor = await actorFor("admin@example.com");
    const reviewer = await actorFor("reviewer@example.com");
    expect(await addMemberAction({ team: "t_risk", email: "reviewer@example.com" })).toMatchObject({
      ok: true,
    });
    expect(await lastAudit()).toMatchObject({
      action: "team_member_added",
      payload: { team: "t_risk", email: "reviewer@example.com" },
    });
    expect(await addMemberAction({ team: "t_risk", email: "reviewer@example.com" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    expect(await addMemberAction({ team: "t_risk", email: "user@example.com" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    expect(await db.teamMember.count({ where: { teamName: "t_risk" } })).toBe(1);
    expect(await removeMemberAction({ team: "t_risk", userId: reviewer.id })).toMatchObject({
      ok: true,
    });
    expect(await lastAudit()).toMatchObject({ action: "team_member_removed" });
    expect(await db.teamMember.count({ where: { teamName: "t_risk" } })).toBe(0);
  });
});

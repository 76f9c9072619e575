import type { ApprovalPacket } from "@/lib/approvals/queries";
import { formatDateTime } from "@/lib/format";

// What the policy asked of a parked item, in words: how many people must approve it and who has
// (four-eyes), which rules of which version put it here, its team's queue and its time to decide.
// Shown in the packet; says nothing for an item no rule touched that needs one person.
export function PolicyRequirement({
  policy,
  status,
}: {
  policy: ApprovalPacket["policy"];
  status: ApprovalPacket["status"];
}) {
  const { requiredApprovals: required, approvedBy, rules, version } = policy;
  if (required <= 1 && !rules.length && !policy.team && !policy.dueAt && !policy.grantId)
    return null;
  const left = required - approvedBy.length;
  return (
    <section
      aria-label="What the policy asks"
      className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950"
    >
      {required > 1 && (
        <p className="font-medium" data-testid="approval-count">
          {approvedBy.length} of {required} approvals
          {approvedBy.length > 0 && (
            <span className="font-normal"> · given by {approvedBy.join(", ")}</span>
          )}
          {status === "pending" && left > 0 && (
            <span className="block font-normal">
              Needs {left === 1 ? "one more reviewer" : `${left} more reviewers`}
              {approvedBy.length > 0 && ", not someone who has already approved"}.
            </span>
          )}
        </p>
      )}
      {rules.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {rules.map((rule) => (
            <li key={rule.id}>
              Rule ‘{rule.name}’ (policy v{version}) matched: {rule.because}
            </li>
          ))}
        </ul>
      )}
      {policy.team && <p className="mt-1">In the {policy.team} team’s queue.</p>}
      {policy.dueAt && (
        <p className="mt-1">
          To be decided by {formatDateTime(policy.dueAt)}
          {policy.onExpiry === "escalate" ? "; escalated if not." : "; expires if not."}
        </p>
      )}
      {policy.grantId && (
        <p className="mt-1">
          Approved automatically by a reviewer’s standing permission (grant{" "}
          {policy.grantId.slice(0, 8)}).
        </p>
      )}
    </section>
  );
}

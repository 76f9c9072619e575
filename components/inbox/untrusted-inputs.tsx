import type { UntrustedInput } from "@/lib/approvals/untrusted-inputs";

/** What the model had read from outside when it proposed the call, with anything flagged. */
export function UntrustedInputs({ inputs }: { inputs: UntrustedInput[] }) {
  const flagged = inputs.filter((i) => i.flagged).length;
  return (
    <section
      aria-labelledby="untrusted-title"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="untrusted-title" className="text-sm font-semibold uppercase text-slate-500">
        Untrusted inputs in context
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {flagged
          ? `${flagged} of ${inputs.length} read like instructions to the model.`
          : `${inputs.length} inputs; none read like instructions.`}
      </p>
      <ul className="mt-2 space-y-2 text-sm">
        {inputs.map((input, i) => (
          <li
            key={i}
            className={`rounded border px-3 py-2 ${input.flagged ? "border-red-300 bg-red-50" : "border-slate-100"}`}
          >
            <div className="flex items-center gap-2">
              <span className="font-medium">{input.source}</span>
              {input.flagged && (
                <span className="rounded bg-red-100 px-1.5 text-xs text-red-800">
                  looks like instructions: “{input.flagged}”
                </span>
              )}
            </div>
            <p className="mt-1 break-all font-mono text-xs text-slate-600">{input.preview}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

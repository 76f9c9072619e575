import { inlineSpans, markdownBlocks } from "@/lib/alerts/markdown";

function Inline({ text }: { text: string }) {
  return (
    <>
      {inlineSpans(text).map((span, i) =>
        span.code ? (
          <code key={i} className="rounded bg-slate-100 px-1 text-[0.9em]">
            {span.text}
          </code>
        ) : (
          <span key={i}>{span.text}</span>
        ),
      )}
    </>
  );
}

/** A runbook from docs/runbooks/, as elements (never as an HTML string). */
export function RunbookView({ source }: { source: string }) {
  return (
    <article className="mt-4 max-w-3xl space-y-3 rounded-lg border border-slate-200 bg-white p-6 text-sm leading-6">
      {markdownBlocks(source).map((block, i) => {
        switch (block.type) {
          case "h1":
            return (
              <h1 key={i} className="text-xl font-semibold">
                <Inline text={block.text} />
              </h1>
            );
          case "h2":
            return (
              <h2 key={i} className="pt-2 text-base font-semibold">
                <Inline text={block.text} />
              </h2>
            );
          case "h3":
            return (
              <h3 key={i} className="font-semibold">
                <Inline text={block.text} />
              </h3>
            );
          case "ul":
          case "ol": {
            const List = block.type;
            return (
              <List
                key={i}
                className={`${block.type === "ul" ? "list-disc" : "list-decimal"} space-y-1 pl-6`}
              >
                {block.items.map((item, j) => (
                  <li key={j}>
                    <Inline text={item} />
                  </li>
                ))}
              </List>
            );
          }
          case "code":
            return (
              <pre
                key={i}
                className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
              >
                {block.text}
              </pre>
            );
          default:
            return (
              <p key={i}>
                <Inline text={block.text} />
              </p>
            );
        }
      })}
    </article>
  );
}

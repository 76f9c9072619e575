// Just enough Markdown for the runbooks (headings, lists, paragraphs, `code`), rendered as blocks
// the page turns into elements: no HTML string is ever built from the file.
export type Block =
  | { type: "h1" | "h2" | "h3" | "p"; text: string }
  | { type: "ul" | "ol"; items: string[] }
  | { type: "code"; text: string };

export function markdownBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ type: "p", text: paragraph.join(" ") });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith("```")) code.push(lines[i]!);
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: `h${heading[1]!.length}` as "h1" | "h2" | "h3", text: heading[2]! });
    } else if (bullet || numbered) {
      flush();
      const type = bullet ? "ul" : "ol";
      const last = blocks.at(-1);
      const item = (bullet ?? numbered)![1]!;
      if (last && last.type === type) last.items.push(item);
      else blocks.push({ type, items: [item] });
    } else if (
      /^\s+\S/.test(line) &&
      blocks.at(-1) &&
      "items" in blocks.at(-1)! &&
      paragraph.length === 0
    ) {
      const list = blocks.at(-1) as { items: string[] };
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Splits `code` spans out of a line of text. */
export function inlineSpans(text: string): Array<{ code: boolean; text: string }> {
  return text
    .split(/(`[^`]+`)/)
    .filter(Boolean)
    .map((part) =>
      part.startsWith("`") && part.endsWith("`")
        ? { code: true, text: part.slice(1, -1) }
        : { code: false, text: part.replace(/\*\*/g, "") },
    );
}

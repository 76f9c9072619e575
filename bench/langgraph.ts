// LangGraph JS with its Postgres checkpointer: an agent node (the scripted model) and a tool node
// (the instant lookup), looping until the model answers in text. A checkpoint per super-step,
// as LangGraph persists by default: at its default durability, "async", each checkpoint is written
// while the next super-step runs, and invoke waits for the writes before it returns.
import { randomUUID } from "node:crypto";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import { instantLookup, markModelCall, nextStep, requestText, stepsOf, toolUseId } from "./script";

export async function langGraphEngine(url: string, poolMax: number) {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  // An idle connection that the server ends (the benchmark drops its database at the end) is no
  // failure of the run; without a listener, pg's pool would throw it out of the process.
  pool.on("error", () => {});
  const saver = new PostgresSaver(pool);
  await saver.setup();

  const agent = async (state: typeof MessagesAnnotation.State) => {
    markModelCall(String(state.messages[0]!.content));
    const steps = stepsOf(String(state.messages[0]!.content));
    const last = state.messages.at(-1);
    const step = nextStep(last instanceof ToolMessage ? last.tool_call_id : undefined);
    const tag = String(state.messages[0]!.id ?? "run");
    if (step >= steps) return { messages: [new AIMessage(`Looked up ${steps - 1} orders.`)] };
    return {
      messages: [
        new AIMessage({
          content: "",
          tool_calls: [
            { id: toolUseId(tag, step), name: "lookup_order", args: { order_id: 1000 + step } },
          ],
        }),
      ],
    };
  };
  const tools = async (state: typeof MessagesAnnotation.State) => {
    const last = state.messages.at(-1) as AIMessage;
    return {
      messages: (last.tool_calls ?? []).map(
        (c) =>
          new ToolMessage({
            tool_call_id: c.id!,
            content: JSON.stringify(instantLookup(Number(c.args.order_id))),
          }),
      ),
    };
  };
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("agent", agent)
    .addNode("tools", tools)
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (s) =>
      (s.messages.at(-1) as AIMessage).tool_calls?.length ? "tools" : END,
    )
    .addEdge("tools", "agent")
    .compile({ checkpointer: saver });

  return {
    name: "LangGraph JS",
    async run(steps: number) {
      const threadId = randomUUID();
      const first: BaseMessage = new HumanMessage({
        content: requestText(steps),
        id: threadId.slice(0, 8),
      });
      const out = await graph.invoke(
        { messages: [first] },
        { configurable: { thread_id: threadId }, recursionLimit: 2 * steps + 10 },
      );
      if (out.messages.length !== 2 * steps)
        throw new Error(`LangGraph run ended after ${out.messages.length} messages`);
    },
    close: () => pool.end(),
  };
}

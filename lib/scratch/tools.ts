import "server-only";
import {
  agentConfig,
  type Agent,
  type ScratchMode,
  type Subject,
  type ToolContext,
  type ToolSpec,
} from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/trace/events";
import { servedRead } from "./eval-reads";
import {
  endpointOf,
  newScope,
  withinScratch,
  type Endpoint,
  type ScratchScope,
} from "./network-guard";

// How a scratch run's tool call is carried out. Hermetic by construction: a scratch run never gets
// what the agent's createDeps builds (the clients of its real systems), only its sandbox, and the
// sandbox runs inside the network guard. In order:
//
//   served       replay: the recorded attempts; re-run: a matching recorded read; eval: a read the
//                recorded case carries
//   runtime tool recall_result and hand_off_to_team, which reach nothing outside the database
//   not executed a write in a re-run or shadow run (these run beside live data), or any call of an
//                agent that declares no sandbox: recorded as "would call …", answered as not done
//   sandbox      the agent's sandbox deps, in the network guard (eval: reads and writes, on the
//                scratch copy of the database; re-run and shadow: reads)

export type ScratchCall = { id: string; runId: string; tool: string; arguments: unknown };
export type Execute = (input: unknown, ctx: ToolContext) => Promise<unknown>;

export type ScratchExecution = {
  mode: ScratchMode;
  /** The run, as the engine holds it: sandbox deps are built once per loaded run. */
  run: object;
  agent: Agent;
  subject: Subject;
  tool: ToolSpec<unknown>;
  call: ScratchCall;
  /** The runtime's own tools (recall, hand-off) have no deps and reach only the database. */
  runtimeTool: boolean;
  /** What the replay session serves for this call, if anything. */
  served: Execute | null;
};

export const describeCall = (tool: string, args: unknown) => `${tool}(${JSON.stringify(args)})`;

type Sandboxed = { scope: ScratchScope; deps?: { value: unknown } };
const sandboxes = new WeakMap<object, Sandboxed>();

function sandboxOf(run: object, agent: Agent, mode: ScratchMode): Sandboxed {
  let sandboxed = sandboxes.get(run);
  if (!sandboxed) {
    const reaches = agent.sandbox?.reaches?.(agentConfig(agent) as never) ?? [];
    const allowed = reaches.map(endpointOf).filter((e): e is Endpoint => e !== null);
    sandboxed = { scope: newScope(`a scratch run (${mode}) of the ${agent.name} agent`, allowed) };
    sandboxes.set(run, sandboxed);
  }
  return sandboxed;
}

/** The refusals the network guard recorded for this run's tool calls so far. */
export const refusedFor = (run: object): readonly string[] =>
  sandboxes.get(run)?.scope.refused ?? [];

export function scratchExecute(x: ScratchExecution): Execute {
  if (x.served) return x.served;
  if (x.mode === "eval" && x.tool.readOnly) {
    const read = servedRead(x.call.runId, x.call.tool, x.call.arguments);
    if (read) return async () => read.result;
  }
  const sandboxed = sandboxOf(x.run, x.agent, x.mode);
  const guarded =
    (execute: Execute): Execute =>
    (input, ctx) =>
      withinScratch(sandboxed.scope, () => execute(input, ctx));
  if (x.runtimeTool) return guarded(x.tool.execute);
  if ((x.mode === "rerun" || x.mode === "shadow") && !x.tool.readOnly) {
    return notExecuted(x.call, "a re-run or shadow run executes no writes");
  }
  const sandbox = x.agent.sandbox;
  if (!sandbox)
    return notExecuted(x.call, `the ${x.agent.name} agent declares no sandbox for scratch runs`);
  return guarded((input, ctx) => {
    sandboxed.deps ??= {
      value: sandbox.createDeps(x.subject, { mode: x.mode, config: agentConfig(x.agent) as never }),
    };
    return x.tool.execute(input, { ...ctx, deps: sandboxed.deps.value as never });
  });
}

/** A call a scratch run may not carry out: answered as not done, and traced as "would call …". */
function notExecuted(call: ScratchCall, reason: string): Execute {
  return async () => {
    const wouldCall = describeCall(call.tool, call.arguments);
    await db.$transaction((tx) =>
      recordEvent(tx, {
        runId: call.runId,
        toolCallId: call.id,
        kind: "policy",
        name: `would call ${wouldCall}`,
        data: { wouldCall: true, reason },
      }),
    );
    return {
      status: "not_executed",
      wouldCall,
      message: `Not executed in a scratch run: ${reason}.`,
    };
  };
}

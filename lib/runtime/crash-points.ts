// Test-only fault injection for crash recovery: with COUNTERSIGN_CRASH_AT=<point> the process
// kills itself (SIGKILL, no cleanup) when it reaches that point, as a power cut would.
export type CrashPoint = "before_advance" | "after_turn_saved" | "after_tool_executed";

export function crashPoint(point: CrashPoint) {
  if (process.env.COUNTERSIGN_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}

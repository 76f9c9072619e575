"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { replayRecordedRun, rerunWithVersion } from "@/lib/replay/actions";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

type Version = { version: number; label: string };

/** Replay the run from its recording, or re-run its request against another settings version. */
export function ReplayControls({ runId, versions }: { runId: string; versions: Version[] }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [version, setVersion] = useState(versions[0] ? String(versions[0].version) : "");
  const [error, setError] = useState<string | null>(null);
  const open = (result: Awaited<ReturnType<typeof replayRecordedRun>>) => {
    if (!result.ok) return setError(result.error.message);
    router.push(`/runs/${runId}/replays/${result.data.scratchRunId}`);
  };
  const onError = () => setError("Could not reach the server; nothing was replayed. Try again.");
  const replay = useMutation({ mutationFn: replayRecordedRun, onSuccess: open, onError });
  const rerun = useMutation({ mutationFn: rerunWithVersion, onSuccess: open, onError });
  const busy = !hydrated || replay.isPending || rerun.isPending;

  return (
    <section
      aria-labelledby="replay-title"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="replay-title" className="text-sm font-semibold uppercase text-slate-500">
        Replay
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Runs the engine again in a scratch run: nothing is sent to the customer, parked for
        reviewers or written to the shop.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <Button
          type="button"
          disabled={busy}
          onClick={() => (setError(null), replay.mutate({ runId }))}
          variant="primary"
          size="sm"
          className="px-3 py-1.5 text-sm disabled:opacity-50 font-normal rounded"
        >
          {replay.isPending ? "Replaying…" : "Replay"}
        </Button>
        {versions.length > 0 && (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              rerun.mutate({ runId, version });
            }}
          >
            <label className="text-sm">
              <span className="block text-slate-600">Settings version</span>
              <Select
                value={version}
                onChange={(e) => setVersion(e.target.value)}
                className="rounded w-auto"
              >
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.label}
                  </option>
                ))}
              </Select>
            </label>
            <Button
              type="submit"
              disabled={busy}
              variant="secondary"
              size="sm"
              className="border-slate-400 px-3 py-1.5 text-sm disabled:opacity-50 font-normal rounded"
            >
              {rerun.isPending ? "Re-running…" : "Re-run with this version"}
            </Button>
          </form>
        )}
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </section>
  );
}

import { metricsResponse } from "@/lib/ops/metrics-route";

// GET /api/metrics: Prometheus text exposition (COUNTERSIGN_METRICS_TOKEN or an admin's personal access token).
export const GET = metricsResponse;

// The trace events, also as OpenTelemetry spans with the GenAI semantic conventions, exported over
// OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the standard OTEL_*
// variables itself). Without it the API is a no-op. Spans carry no arguments or results:
// those may hold personal data and stay in the database, behind authentication.
import { SpanKind, trace, type Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { TraceInput } from "./events";

let provider: NodeTracerProvider | undefined;

export function startTelemetry(options: { url?: string; immediate?: boolean } = {}) {
  if (provider || !(options.url ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT)) return;
  const exporter = new OTLPTraceExporter(options.url ? { url: options.url } : {});
  const processor: SpanProcessor = options.immediate
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(exporter);
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": "countersign" }),
    spanProcessors: [processor],
  });
  provider.register();
}

export async function stopTelemetry() {
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
}

type Data = Record<string, unknown>;

export function emitSpan(event: TraceInput) {
  const tracer = trace.getTracer("countersign");
  const data = (event.data ?? {}) as Data;
  const end = Date.now();
  const start = end - (event.latencyMs ?? 0);
  const { name, kind, attributes } = describe(event, data);
  const span = tracer.startSpan(name, {
    kind,
    startTime: start,
    attributes: {
      "countersign.run.id": event.runId,
      "countersign.event.kind": event.kind,
      ...attributes,
    },
  });
  span.end(end);
}

function describe(
  event: TraceInput,
  data: Data,
): { name: string; kind: SpanKind; attributes: Attributes } {
  if (event.kind === "model_call") {
    const model = typeof data.model === "string" ? data.model : "unknown";
    return {
      name: `chat ${model}`,
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": String(data.provider ?? "unknown"),
        "gen_ai.request.model": model,
        "gen_ai.response.model": model,
        ...(typeof data.stopReason === "string" && {
          "gen_ai.response.finish_reasons": [data.stopReason],
        }),
        ...(event.inputTokens !== undefined && { "gen_ai.usage.input_tokens": event.inputTokens }),
        ...(event.outputTokens !== undefined && {
          "gen_ai.usage.output_tokens": event.outputTokens,
        }),
        ...(typeof data.error === "string" && { "error.type": data.error }),
      },
    };
  }
  if (event.kind === "tool_call") {
    const tool = event.name.split(" · ")[0] ?? event.name;
    return {
      name: `execute_tool ${tool}`,
      kind: SpanKind.INTERNAL,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": tool,
        ...(event.toolCallId && { "gen_ai.tool.call.id": event.toolCallId }),
        ...(data.error !== undefined && {
          "error.type": String((data.error as Data)?.kind ?? "error"),
        }),
      },
    };
  }
  return {
    name: `countersign.${event.kind} ${event.name}`,
    kind: SpanKind.INTERNAL,
    attributes: {},
  };
}

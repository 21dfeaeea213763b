import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../config/env.server";
import { metricsResponse } from "../observability/metrics-endpoint.server";

/** GET /metrics: Prometheus text, only with `Authorization: Bearer $METRICS_TOKEN` (401 otherwise). */
export const loader = ({ request }: LoaderFunctionArgs) => metricsResponse(request, env().METRICS_TOKEN);

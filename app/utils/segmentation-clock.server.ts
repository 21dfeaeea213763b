import { runtimeEnv } from "../config/env.server";

/**
 * "Now" for segmentation: the current time, or SEGMENTS_AS_OF in development
 * and the demo (whose data set ends in 2011). Reads only the runtime part of
 * the environment, so jobs and tests need no Shopify configuration; the
 * variable is refused in production.
 */
export function segmentationNow(): Date {
  const fixed = runtimeEnv().SEGMENTS_AS_OF;
  return fixed ? new Date(fixed) : new Date();
}

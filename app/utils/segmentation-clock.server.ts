/**
 * "Now" for segmentation: the current time, or SEGMENTS_AS_OF in development
 * and the demo (whose data set ends in 2011). Read from process.env directly
 * so jobs and tests need no Shopify configuration; env validation refuses the
 * variable in production.
 */
export function segmentationNow(): Date {
  const fixed = process.env.SEGMENTS_AS_OF;
  if (fixed && process.env.NODE_ENV !== "production") {
    const date = new Date(fixed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date();
}

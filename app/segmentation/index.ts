// Public API of the segmentation core. Pure: no database, queue, HTTP,
// filesystem or environment access; the clock ("as of") is an argument.
export type {
  EngineOrder,
  Family,
  Membership,
  RfmScores,
  SpendTier,
  PredictiveValues,
  PredictiveUnavailable,
  CustomerAssignment,
} from "./types";
export { FAMILIES } from "./types";
export {
  FeatureAccumulator,
  FeatureTable,
  computeFeatureTable,
  type ShopStats,
  type AccumulatorOptions,
} from "./features/accumulator";
export {
  subsetFeatureTable,
  concatFeatureTables,
  encodeFeatureTable,
  decodeFeatureTable,
  UnknownEncodingError,
} from "./features/transfer";
export { concatFitColumns, decodeFitColumns, type FitColumns } from "./features/fit-columns";
export {
  type CustomerFeatures,
  type AcquisitionTouch,
  emptyCustomerFeatures,
  updateCustomerFeatures,
  customerFeaturesFromOrders,
} from "./features/customer";
export { fitShop, type ShopCutoffs, type PredictiveCutoffs, type DataAvailability, type FitTimings } from "./cutoffs";
export { equalRangeEdges, type ValueRangeCounts } from "./math/value-ranges";
export { assignSegments, assignTable, createAssigner, type Assigner, type AssignSummary } from "./assign";
export {
  settingsSchema,
  parseSettings,
  DEFAULT_SETTINGS,
  InvalidSettingsError,
  type Settings,
  type SettingsInput,
  type CustomSegment,
  type MerchantWindow,
} from "./settings";
export { validateCustomRule } from "./rules/validate";
export { previewCustomRule, type RulePreview } from "./rules/preview";
export type { Rule, Condition } from "./rules/schema";
export { FEATURE_DEFINITIONS, FEATURE_NAMES, type DerivedFeatures, type FeatureName } from "./rules/features";
export { segmentCatalog, type CatalogEntry, type DataNeed, type ModelNote } from "./catalog";
export { RFM_GROUPS } from "./families/rfm";
export { FAMILY_MODULES, type FamilyModule } from "./families";
export {
  fitBgNbd,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdConditionalExpected,
  type BgNbdParams,
  type BgNbdFit,
  type BgNbdParamName,
  type BgNbdLimit,
} from "./models/bgnbd";
export {
  fitGammaGamma,
  gammaGammaExpectedValue,
  type GammaGammaParams,
  type GammaGammaFit,
} from "./models/gamma-gamma";
export { compressCustomerBase } from "./models/customer-base";
export { fitShopModels, summarizePurchases } from "./models/predict";

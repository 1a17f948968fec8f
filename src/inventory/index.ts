export type { Analyzer, AnalysisResult, EntryInfo, LayerFile } from "./analyzer.js";
export type { Inventory, LayerSummary, OsInfo, Package, PackageType, SourcePackage, TargetInfo } from "./model.js";
export { OS_PACKAGE_TYPES } from "./model.js";
export { ANALYZERS } from "./analyzers/index.js";
export { comparePackages } from "./package-order.js";
export { inventoryOf, type InventoryOptions, type LayerEvent } from "./build.js";
export { LayerCache, defaultCacheDir } from "./cache.js";
export { toCycloneDx, type CycloneDxBom } from "./sbom/index.js";

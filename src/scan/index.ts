export { scanImage, type ImageScan, type ImageScanOptions, type ImageScanners } from "./image.js";
export { baseLayerCount, configSummary, reportPackages, type ImageConfigSummary, type ImageReport, type ReportPackage, type Scanner } from "./report.js";

export { listControls, compareIds, type ControlCatalog } from './list.js';
export {
  renderControlsText,
  renderControlsJson,
  renderControlsMarkdown,
  remediationBlocks,
  controlProvider,
  controlService,
  compareRecommendationIds,
  MARKDOWN_HEADER,
  type ControlJson,
  type TextOptions,
  type MarkdownOptions,
} from './render.js';
export {
  availableBenchmarks,
  benchmarksDir,
  checkBenchmark,
  coverage,
  loadBenchmark,
  renderCoverageJson,
  renderCoverageText,
  type Benchmark,
  type CoverageReport,
  type Recommendation,
} from './benchmarks.js';

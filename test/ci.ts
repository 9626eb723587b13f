/**
 * Whether this run is CI, read one way everywhere: CI=true (as .ci/run and
 * hosted runners set it) or CI=1. There, a test whose tools are missing fails
 * rather than skips; CI=false or unset lets it skip on a workstation.
 */
export const IN_CI = process.env.CI === "true" || process.env.CI === "1";

/** Reported in the birth message; the hub compares it with a bundle's minimum agent version. */
export const AGENT_VERSION = '0.1.0';

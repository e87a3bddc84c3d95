export {
  DeviceProfileSchema, CpuSchema, Int8Schema, LimitsSchema, SourceSchema, ExecutionProviderSchema, ArchitectureSchema,
  PROFILE_ID_PATTERN, type DeviceProfile, type ExecutionProvider, type Architecture,
} from './schema.ts';
export {
  defaultProfilesDir, parseDeviceProfile, loadProfileFile, loadProfiles, loadProfile,
  estimateLatencyMs, fitsProfile, type FitResult, type ModelFootprint, type ProfileLimit,
} from './loader.ts';

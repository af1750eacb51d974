export { applyPatch, type PatchType, patchTypeOf, supportsStrategic } from './patch';
export { fileLogReader, type GetPodLogs, type PodLogOptions, type PodLogs } from './pod-logs';
export { type ApiServer, type ApiServerOptions, startApiServer } from './server';
export { loadValidators, validateObject } from './validate-object';

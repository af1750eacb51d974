export { parseImage } from './image';
export { PIDS_ANNOTATION, PORT_ANNOTATION } from './pod-worker';
export { startWorkloads, type Workloads, type WorkloadsOptions } from './start-workloads';

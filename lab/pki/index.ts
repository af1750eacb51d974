export { type KubeconfigInput, writeKubeconfig } from './kubeconfig';
export { ensurePki, type LabPki } from './pki';

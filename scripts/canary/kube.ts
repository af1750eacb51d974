import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

export type Obj = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
};

/** The few Kubernetes calls the canary scripts make, against whatever KUBECONFIG names (the lab or a cluster). */
export class Kube {
  readonly kc = new KubeConfig();
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor() {
    this.kc.loadFromDefault();
    this.custom = this.kc.makeApiClient(CustomObjectsApi);
    this.core = this.kc.makeApiClient(CoreV1Api);
  }

  server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(no cluster)';
  }

  async rollout(namespace: string, name: string): Promise<Obj> {
    return (await this.custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'rollouts',
      name,
    })) as Obj;
  }

  async virtualService(namespace: string, name: string): Promise<Obj> {
    return (await this.custom.getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace,
      plural: 'virtualservices',
      name,
    })) as Obj;
  }

  /** Set image the way `kubectl argo rollouts set image` does: GET, replace the container image, PUT; retry on 409. */
  async setImage(namespace: string, name: string, container: string, image: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const ro = await this.rollout(namespace, name);
      const containers = (
        ro.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }
      ).template.spec.containers;
      const c = containers.find((x) => x.name === container) ?? containers[0];
      if (!c) throw new Error(`rollout ${namespace}/${name} has no containers`);
      c.image = image;
      try {
        await this.custom.replaceNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace,
          plural: 'rollouts',
          name,
          body: ro,
        });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
      }
    }
  }

  /** Merge patch of the rollout's status subresource (abort / retry), falling back to the main resource on 404. */
  async patchRolloutStatus(namespace: string, name: string, body: object): Promise<void> {
    const opts = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const req = { group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'rollouts', name, body };
    try {
      await this.custom.patchNamespacedCustomObjectStatus(req, opts);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
      await this.custom.patchNamespacedCustomObject(req, opts);
    }
  }

  async setFaults(namespace: string, name: string, faultsJson: string): Promise<void> {
    const body = { data: { 'faults.json': faultsJson } };
    await this.core.patchNamespacedConfigMap(
      { namespace, name, body },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

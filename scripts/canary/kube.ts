import { request } from 'node:https';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';

export type Obj = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
};

/** The few Kubernetes calls the canary scripts make, against whatever KUBECONFIG names (the lab or a cluster). */
export class Kube {
  readonly kc = new KubeConfig();
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  /** KUBECONFIG (the default rules), or the kubeconfig file given. */
  constructor(kubeconfigFile?: string) {
    if (kubeconfigFile) this.kc.loadFromFile(kubeconfigFile);
    else this.kc.loadFromDefault();
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

  /**
   * Set image the way `kubectl argo rollouts set image` does: GET, replace the container image, PUT; retry on 409.
   * Returns the generation the PUT answered with: the controller has acted on the change once its
   * status.observedGeneration reaches it.
   */
  async setImage(namespace: string, name: string, container: string, image: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const ro = await this.rollout(namespace, name);
      const containers = (
        ro.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }
      ).template.spec.containers;
      const c = containers.find((x) => x.name === container) ?? containers[0];
      if (!c) throw new Error(`rollout ${namespace}/${name} has no containers`);
      c.image = image;
      try {
        const put = (await this.custom.replaceNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace,
          plural: 'rollouts',
          name,
          body: ro,
        })) as { metadata?: { generation?: number } };
        const generation = Number(put.metadata?.generation);
        if (!Number.isInteger(generation))
          throw new Error(`the PUT of rollout ${namespace}/${name} answered without metadata.generation`);
        return generation;
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

  /**
   * Watches one VirtualService: `onObject` for each version of it (the current one first), `onEnd` when the watch ends
   * (the server closes watches after a while: call again). Returns a function that stops it.
   */
  async watchVirtualService(
    namespace: string,
    name: string,
    onObject: (vs: Obj) => void,
    onEnd: (err: unknown) => void,
  ): Promise<() => void> {
    const ctl = await new Watch(this.kc).watch(
      `/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices`,
      { fieldSelector: `metadata.name=${name}` },
      (type, obj) => {
        if (type === 'ADDED' || type === 'MODIFIED') onObject(obj as Obj);
      },
      onEnd,
    );
    return () => ctl.abort();
  }

  /** An AnalysisTemplate, or null when there is none by that name. */
  async analysisTemplate(namespace: string, name: string): Promise<Obj | null> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'analysistemplates',
        name,
      })) as Obj;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return null;
      throw err;
    }
  }

  /**
   * GET of one object by its API path (e.g. `/api/v1/namespaces/demo/secrets/x`): the object, or the HTTP status of the
   * refusal (404 missing, 403 not allowed to look). Other failures throw.
   */
  async lookup(apiPath: string): Promise<{ found: Obj } | { status: number }> {
    try {
      const [, group, version, , namespace, plural, name] =
        /^\/(?:api|apis\/([^/]+))\/([^/]+)\/(namespaces\/([^/]+)\/)?([^/]+)\/([^/]+)$/.exec(apiPath) ?? [];
      if (!version || !plural || !name) throw new Error(`not an object path: ${apiPath}`);
      if (!group && plural === 'secrets' && namespace)
        return { found: (await this.core.readNamespacedSecret({ namespace, name })) as unknown as Obj };
      if (!group) throw new Error(`unsupported core path: ${apiPath}`);
      const found = namespace
        ? await this.custom.getNamespacedCustomObject({ group, version, namespace, plural, name })
        : await this.custom.getClusterCustomObject({ group, version, plural, name });
      return { found: found as Obj };
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 403) return { status: code };
      throw err;
    }
  }

  /** The lab's own description (`GET /lab/v1/info`: its Prometheus URL), or null when the API server is no lab. */
  async labInfo(): Promise<{ prometheusUrl?: string | null } | null> {
    const server = this.server();
    if (!server.startsWith('https://')) return null;
    const opts: import('node:https').RequestOptions = { timeout: 3000 };
    await this.kc.applyToHTTPSOptions(opts);
    return new Promise((resolve) => {
      const req = request(new URL('/lab/v1/info', server), opts, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString('utf8');
        });
        res.on('end', () => {
          try {
            resolve(res.statusCode === 200 ? (JSON.parse(body) as { prometheusUrl?: string | null }) : null);
          } catch {
            resolve(null);
          }
        });
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(null));
      req.end();
    });
  }

  async setFaults(namespace: string, name: string, faultsJson: string): Promise<void> {
    const body = { data: { 'faults.json': faultsJson } };
    await this.core.patchNamespacedConfigMap(
      { namespace, name, body },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

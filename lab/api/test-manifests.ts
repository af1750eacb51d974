/** Manifests the kubectl tests apply (written into a folder for `kubectl apply -f <dir>`). */
export const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
`;

export const configMap = (greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: webapp-config
  namespace: demo
data:
  greeting: ${greeting}
`;

export const APP = `apiVersion: v1
kind: Service
metadata:
  name: webapp
  namespace: demo
spec:
  selector: {app: webapp}
  ports:
    - {name: http, port: 80, targetPort: 8080}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: legacy
  namespace: demo
spec:
  replicas: 1
  selector:
    matchLabels: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      containers:
        - name: app
          image: legacy:v1
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: webapp
  namespace: demo
spec:
  hosts: [webapp.local]
  gateways: [webapp-gateway]
  http:
    - name: primary
      route:
        - {destination: {host: webapp-stable}, weight: 100}
        - {destination: {host: webapp-canary}, weight: 0}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: webapp
  namespace: demo
spec:
  replicas: 3
  selector:
    matchLabels: {app: webapp}
  template:
    metadata:
      labels: {app: webapp}
    spec:
      containers:
        - name: webapp
          image: webapp:v1.0
          ports: [{containerPort: 8080}]
  strategy:
    canary:
      canaryService: webapp-canary
      stableService: webapp-stable
      trafficRouting:
        istio:
          virtualService: {name: webapp, routes: [primary]}
      steps:
        - setWeight: 20
        - pause: {duration: 30s}
        - setWeight: 50
        - pause: {}
`;

export const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'demo', labels: { app: 'web' }, ...extra },
  spec: { containers: [{ name: 'app', image: 'webapp:v1.0', env: [{ name: 'A', value: '1' }] }] },
});

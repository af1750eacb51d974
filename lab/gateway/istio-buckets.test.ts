import { describe, expect, it } from 'vitest';
import { binLower, ENVOY_DEFAULT_BUCKETS, envoyBucketIndex, formatG32 } from './envoy-histogram';
import { SLO_BUCKETS_ANNOTATION_VALUE, SLO_DURATION_BUCKETS_MS } from './ingress-gateway';
import { durationBucketsFor } from './istio-buckets';
import { IstioMetrics, type RequestLabels } from './istio-metrics';
import { WindowStats } from './window-stats';

const labels: RequestLabels = {
  destination_service_name: 'webapp-canary',
  destination_service_namespace: 'demo',
  destination_workload: 'webapp-abc',
  destination_workload_namespace: 'demo',
  destination_version: 'v1.1',
  destination_canonical_service: 'webapp',
  destination_app: 'webapp',
  response_code: '200',
  response_flags: '-',
};

/** The `le` values of the duration histogram, in the order printed, and each one's count (first series). */
function bucketsOf(text: string): Array<[string, number]> {
  return [...text.matchAll(/^istio_request_duration_milliseconds_bucket\{[^}]*le="([^"]+)"\} (\d+)$/gm)].map(
    (m) => [m[1] ?? '', Number(m[2])],
  );
}

const ENVOY_LE = [
  '0.5',
  '1',
  '5',
  '10',
  '25',
  '50',
  '100',
  '250',
  '500',
  '1000',
  '2500',
  '5000',
  '10000',
  '30000',
  '60000',
  '300000',
  '600000',
  '1800000',
  '3600000',
  '+Inf',
];

describe("Envoy's histogram as Istio 1.30.3's gateway prints it", () => {
  it("emits exactly Envoy's default buckets without the annotation (no 300)", () => {
    expect(ENVOY_DEFAULT_BUCKETS).toEqual([
      0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
      3600000,
    ]);
    const m = new IstioMetrics();
    m.observe(labels, 42);
    expect(bucketsOf(m.render()).map(([le]) => le)).toEqual(ENVOY_LE);
    expect(m.render()).not.toContain('le="300"');
  });

  it('counts as libcircllhist py-0.3.2 does: integer ms, a bin counts in le when its lower edge is <= le', () => {
    // bins: 0 ms → the zero bin; 1..9 → [v, v+0.1); 10..99 → [v, v+1); 100..999 → 10 ms wide; 1000.. → 100 ms
    expect([0.3, 0.99, 1, 4.99, 5, 99.9, 100, 249.9, 250, 299.99, 300, 309.9, 2499.5].map(binLower)).toEqual([
      0, 0, 1, 4, 5, 99, 100, 240, 250, 290, 300, 300, 2400,
    ]);
    const m = new IstioMetrics(SLO_DURATION_BUCKETS_MS);
    for (const ms of [0.7, 1.2, 299.9, 300, 309.6, 310, 251]) m.observe(labels, ms);
    const got = Object.fromEntries(bucketsOf(m.render()));
    expect(got['0.5']).toBe(1); // 0.7 ms is recorded as 0
    // libcircllhist py-0.3.2 src/circllhist.c hist_approx_count_below: `if(bucket_lower <= threshold)`
    // (Istio 1.27's Envoy built 39f9db724a81: `if(bucket_upper <= threshold)`, where le="1" counted 1 here)
    expect(got['1']).toBe(2); // 1.2 ms → bin [1, 1.1): lower edge 1 <= 1
    expect(got['5']).toBe(2);
    expect(got['250']).toBe(3); // 251 ms → bin [250, 260): counts in le="250"
    expect(got['300']).toBe(6); // 299.9 ms, and 300 and 309.6 ms (bin [300, 310)) count; 310 ms does not
    expect(got['500']).toBe(7);
    expect(got['+Inf']).toBe(7);
    // a bound that is not a bin edge counts the whole bin it lies in: 252 ms (bin [250, 260)) counts in le="255"
    expect(envoyBucketIndex([255, 260], 252)).toBe(0);
    expect(envoyBucketIndex([255, 260], 261)).toBe(1); // bin [260, 270): lower edge 260 <= 260
    expect(envoyBucketIndex([255, 260], 270)).toBe(2);
  });

  it('prints le and _sum as fmt {:.32g} and the sum from bin midpoints', () => {
    const m = new IstioMetrics();
    m.observe(labels, 3);
    m.observe(labels, 280);
    const text = m.render();
    expect(text).toMatch(
      /istio_requests_total\{[^}]*destination_service_name="webapp-canary"[^}]*reporter="source"[^}]*\} 2/,
    );
    // py-0.3.2 hist_bucket_midpoint: bottom + width * bottom / (bottom + top):
    // 3 → 3 + 0.1 * 3 / 6.1, 280 → 280 + 10 * 280 / 570 (the bin middles 3.05 + 285 were Istio 1.27's)
    expect(text).toMatch(
      /istio_request_duration_milliseconds_sum\{[^}]*\} 287.96146102962325130647514015436$/m,
    );
    expect(text).toMatch(/istio_request_duration_milliseconds_count\{[^}]*\} 2$/m);
    expect(text).toContain('le="1800000"');
    expect([0.5, 3600000, 0.1, 1e-5, 1e32].map(formatG32)).toEqual([
      '0.5',
      '3600000',
      '0.10000000000000000555111512312578',
      '1.0000000000000000818030539140313e-05',
      '1.0000000000000000536616220439347e+32',
    ]);
  });
});

describe('sidecar.istio.io/statsHistogramBuckets as pilot-agent and Envoy read it', () => {
  const defaults = { ok: true, buckets: ENVOY_DEFAULT_BUCKETS };

  it('no annotation, {} or null: the defaults, nothing logged', () => {
    for (const v of [undefined, '{}', 'null'])
      expect(durationBucketsFor(v)).toEqual({ ...defaults, warnings: [] });
  });

  it('the istiocustom key gives the istio_* histograms its buckets, sorted', () => {
    expect(durationBucketsFor(SLO_BUCKETS_ANNOTATION_VALUE)).toEqual({
      ok: true,
      buckets: SLO_DURATION_BUCKETS_MS,
      prefix: 'istiocustom',
      warnings: [],
    });
    expect(durationBucketsFor('{"istiocustom":[300,100,1000]}')).toMatchObject({ buckets: [100, 300, 1000] });
    // keys sort (Go string order) and the first prefix of the stat name wins: "istio" before "istiocustom"
    expect(durationBucketsFor('{"istiocustom":[1,2],"istio":[7,8],"cluster.xds-grpc":[5]}')).toMatchObject({
      buckets: [7, 8],
      prefix: 'istio',
    });
    // a key reaching into the stat name's tags still matches (Envoy matches the name with its tags)
    expect(
      durationBucketsFor('{"istiocustom.istio_request_duration_milliseconds.reporter":[42]}'),
    ).toMatchObject({ buckets: [42] });
  });

  it('a key matching no istio_* stat: valid, the defaults, and the lab says why', () => {
    const r = durationBucketsFor('{"cluster.xds-grpc":[1,5,10],"istio_request_duration":[300]}');
    expect(r).toMatchObject(defaults);
    expect(r.warnings.join()).toMatch(
      /no key .* is a prefix of istiocustom.istio_request_duration_milliseconds/,
    );
  });

  it("not the JSON Go unmarshals into map[string][]float64: pilot-agent's warning, Envoy's defaults", () => {
    for (const v of [
      'istiocustom: [300]',
      '{"istiocustom":[1,5,300,]}',
      '[1,5,300]',
      '{"istiocustom":"1,5,300"}',
      '{"istiocustom":[1,"300"]}',
      '{"istiocustom":[1,1e400]}',
    ]) {
      const r = durationBucketsFor(v);
      expect(r, v).toMatchObject(defaults);
      expect(r.warnings, v).toEqual([
        expect.stringContaining(`Failed to unmarshal histogram buckets ${v}: `),
      ]);
    }
  });

  it('a list Envoy refuses (not > 0, repeated, empty key), under any key: the proxy does not start', () => {
    for (const [v, why] of [
      ['{"istiocustom":[-1,5,300]}', /buckets\[0\]: value must be greater than 0/],
      ['{"istiocustom":[0,5]}', /buckets\[0\]: value must be greater than 0/],
      ['{"istiocustom":[1,null]}', /buckets\[1\]: value must be greater than 0/],
      ['{"istiocustom":[5,300,5]}', /buckets\[2\]: repeated value/],
      ['{"":[1]}', /match.prefix/],
      ['{"cluster.xds-grpc":[-5],"istiocustom":[300]}', /key "cluster.xds-grpc"/],
      ['{"cluster.xds-grpc":[-5],"istiocustom":[]}', /key "cluster.xds-grpc"/],
    ] as const) {
      const r = durationBucketsFor(v);
      expect(r.ok, v).toBe(false);
      if (!r.ok) expect(r.error, v).toMatch(/^Envoy rejects the bootstrap/);
      if (!r.ok) expect(r.error, v).toMatch(why);
    }
  });
  it('an empty list (or null) is valid since envoyproxy/envoy#40991: no buckets from that key, the defaults', () => {
    // go-control-plane@98966259b99a envoy/config/metrics/v3/stats.pb.validate.go HistogramBucketSettings.validate:
    // the `len(m.GetBuckets()) < 1` check of Istio 1.27's API (@197b96a9c7f8) is gone; `bins` came in its place
    for (const v of ['{"istiocustom":[]}', '{"istiocustom":null}', '{"istio":[],"cluster.xds-grpc":[5]}']) {
      const r = durationBucketsFor(v);
      expect(r, v).toMatchObject(defaults);
      expect(r.warnings.join(), v).toMatch(/gives an empty bucket list/);
    }
  });
});

describe('the window endpoint counts as the gateway does', () => {
  it('uses the gateway buckets, and after a change only the bounds common to every layout in the window', () => {
    const w = new WindowStats();
    const t = 1_700_000_000_000;
    w.record('demo', 'webapp-canary', 200, 299.5, t);
    const first = w.query('demo', 'webapp-canary', t / 1000, t + 1000);
    expect(first.buckets.map((b) => b.le)).toEqual([...ENVOY_DEFAULT_BUCKETS, '+Inf']);
    expect(first.buckets.find((b) => b.le === 250)?.count).toBe(0);
    expect(first.buckets.find((b) => b.le === 500)?.count).toBe(1);
    w.setBuckets(SLO_DURATION_BUCKETS_MS);
    w.record('demo', 'webapp-canary', 200, 299.5, t + 1000);
    w.record('demo', 'webapp-canary', 500, 300, t + 1000);
    const after = w.query('demo', 'webapp-canary', t / 1000 + 1, t + 2000);
    expect(after.buckets.find((b) => b.le === 300)?.count).toBe(2); // 299.5 and 300 ms (bin [300, 310))
    const both = w.query('demo', 'webapp-canary', t / 1000, t + 2000);
    expect(both.buckets.map((b) => b.le)).toEqual([...ENVOY_DEFAULT_BUCKETS, '+Inf']);
    expect(both.buckets.find((b) => b.le === 500)?.count).toBe(3);
    expect(both).toMatchObject({ requests: 3, errors: 1 });
  });
});

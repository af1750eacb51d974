import type { KubeObject } from '../store/types';
import { columnsFor } from './table-columns';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Whether the Accept header asks for a server-side Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

export function includeObjectParam(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Builds a meta.k8s.io/v1 Table of the objects (served versions already applied). */
export function toTable(
  kind: string,
  items: KubeObject[],
  resourceVersion: string,
  include: IncludeObject,
  withColumns = true,
): Record<string, unknown> {
  const columns = columnsFor(kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    ...(withColumns
      ? {
          columnDefinitions: columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.description,
            priority: c.priority,
          })),
        }
      : { columnDefinitions: null }),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? o
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
          }),
    })),
  };
}

import { groupVersion } from '../store/resources';
import type { KubeObject, ResourceType } from '../store/types';

/** The object as stored: every version of a kind shares one storage, kept at the preferred version. */
export function toStored(rt: ResourceType, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: groupVersion(rt), kind: rt.kind };
}

/** The object as served at the version named in the request URL. */
export function toServed(rt: ResourceType, version: string, obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion: groupVersion(rt, version), kind: rt.kind, ...rest };
}

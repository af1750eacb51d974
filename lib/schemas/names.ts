import { z } from 'zod';

/** A Kubernetes DNS-1123 label (namespaces, services): lowercase alphanumerics and '-', at most 63 characters. */
export const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lowercase letters, digits and "-")');

/** A DNS-1123 subdomain (most object names): labels joined by '.', at most 253 characters. */
export const dnsSubdomain = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")',
  );

/** A kube context name as kubeconfigs spell them (e.g. `kind-prod`, `arn:aws:eks:…:cluster/x`): no spaces or controls. */
export const kubeContextName = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(/^[^\s\p{Cc}]+$/u, 'must be a kube context name (no spaces or control characters)');

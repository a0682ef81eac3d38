// A load balancer's in-service knobs: health checks take targets out of service
// (`inService.<target>` = 0) and return them (1); the balancer routes only to in-service targets,
// renormalising their weights. Pure helpers the world model calls.

const IN_SERVICE_PREFIX = "inService.";

/** Knob name of a load balancer's in-service flag for `target`. Pure. */
export function inServiceKnob(target: string): string {
  return `${IN_SERVICE_PREFIX}${target}`;
}

/** True when `knob` is an in-service flag. Pure. */
export function isInServiceKnob(knob: string): boolean {
  return knob.startsWith(IN_SERVICE_PREFIX);
}

/** Why a write of `value` to load balancer `id`'s `knob` is invalid, or null. Pure. */
export function checkLoadBalancerKnob(id: string, knob: string, value: number): string | null {
  if (isInServiceKnob(knob)) return value === 0 || value === 1 ? null : `${id}.${knob} must be 0 (out of service) or 1 (in service), got ${value}`;
  if (value < 0 || value > 100) return `${id}.${knob} must be in [0, 100], got ${value}`;
  return null;
}


// Local candidates: besides the candidates drawn from l(x) itself, draws around the good ("below")
// trials with kernels narrowed by a factor, so the l(x)/g(x) ranking also sees points close to the
// best trials. Optuna's 24 draws from l(x) use kernels as wide as the Scott rule or the neighbour
// gaps (a fair share of the range early on), so on smooth objectives the best trials are rarely
// refined; these candidates are ranked by the same l/g as the others (the sampler stays a TPE).
import type { JointEstimator } from './joint.ts';
import type { ParzenEstimator } from './parzen.ts';

/** The first n kernels of one dimension (the observations: the prior comes last), numeric widths times scale. */
export function narrowParzen(pe: ParzenEstimator, n: number, scale: number): ParzenEstimator {
  const total = pe.weights.slice(0, n).reduce((a, w) => a + w, 0);
  const weights = pe.weights.slice(0, n).map((w) => w / total);
  const k = pe.kernels;
  if (k.kind === 'categorical') return { dist: pe.dist, weights, kernels: { kind: 'categorical', probs: k.probs.slice(0, n) } };
  return { dist: pe.dist, weights, kernels: { ...k, mus: k.mus.slice(0, n), sigmas: k.sigmas.slice(0, n).map((s) => s * scale) } };
}

/** The joint estimator's observation kernels (its prior left out), numeric widths times scale. */
export function narrowJoint(je: JointEstimator, n: number, scale: number): JointEstimator {
  const dims = je.dims.map((pe) => narrowParzen(pe, n, scale));
  const [first] = dims;
  return { dims, weights: first?.weights ?? [1] };
}

/**
 * What an exported model.json may hold: tfjs' standard layers load anywhere; each Kiln layer class is
 * either rewritten to its standard equivalent (same weights, same outputs) or left for kiln-layers.js
 * to register on the page. The decision is made per layer and reported.
 */

/** A layer of a Keras-format topology as tfjs serializes it. */
interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/** How one Kiln layer of the model is exported. */
export interface LayerExport {
  layer: string;
  kilnClass: string;
  /** The standard tfjs class it became, or undefined when kiln-layers.js registers it. */
  replacedBy?: string;
  why: string;
}

/**
 * Kiln class -> its standard twin, used when no padding mask can reach the layer: without one, Kiln's
 * masked pooling is tfjs' mean/max over every step, and it has no weights.
 */
const STANDARD_WITHOUT_MASK: Record<string, string> = {
  KilnMaskedGlobalAveragePooling1D: 'GlobalAveragePooling1D',
  KilnMaskedGlobalMaxPooling1D: 'GlobalMaxPooling1D',
};

/** Why a class stays Kiln's: the maths tfjs has no layer for. */
const SHIPPED_BECAUSE: Record<string, string> = {
  KilnMultiHeadAttention: 'tfjs-layers has no multi-head attention layer',
  KilnTransformerEncoder: 'tfjs-layers has no transformer encoder layer',
  KilnMaskedGlobalAveragePooling1D: "a padding mask reaches it, and tfjs' GlobalAveragePooling1D would average the padded steps too",
  KilnMaskedGlobalMaxPooling1D: "a padding mask reaches it, and tfjs' GlobalMaxPooling1D would take the padded steps too",
};

const isLayer = (v: unknown): v is LayerJson => typeof v === 'object' && v !== null && typeof (v as LayerJson).class_name === 'string' && typeof (v as LayerJson).config === 'object';

/** Every layer object in the topology, nested ones (a bidirectional wrapper's inner layer) included. */
function layersIn(v: unknown, out: LayerJson[] = []): LayerJson[] {
  if (Array.isArray(v)) v.forEach((x) => layersIn(x, out));
  else if (typeof v === 'object' && v !== null) {
    if (isLayer(v)) out.push(v);
    Object.values(v).forEach((x) => layersIn(x, out));
  }
  return out;
}

/** Whether any layer sends a padding mask (an embedding with maskZero): then masked pooling must stay masked. */
const sendsMask = (layers: LayerJson[]) => layers.some((l) => l.class_name === 'Embedding' && l.config.mask_zero === true);

/**
 * Rewrites the Kiln layers of `topology` (in place) that have a standard equivalent and reports every
 * Kiln layer with what became of it; those left need kiln-layers.js.
 */
export function standardizeTopology(topology: unknown): LayerExport[] {
  const layers = layersIn(topology);
  const masked = sendsMask(layers);
  return layers
    .filter((l) => l.class_name.startsWith('Kiln'))
    .map((l) => {
      const kilnClass = l.class_name;
      const name = String(l.config.name ?? kilnClass);
      const standard = STANDARD_WITHOUT_MASK[kilnClass];
      if (standard !== undefined && !masked) {
        l.class_name = standard;
        return { layer: name, kilnClass, replacedBy: standard, why: 'no padding mask reaches it, so it is the standard pooling' };
      }
      return { layer: name, kilnClass, why: SHIPPED_BECAUSE[kilnClass] ?? 'a Kiln layer with no tfjs equivalent' };
    });
}

/** The Kiln classes left in the topology after standardizeTopology, which the page must register. */
export const shippedClasses = (report: readonly LayerExport[]): string[] => [...new Set(report.filter((r) => r.replacedBy === undefined).map((r) => r.kilnClass))];

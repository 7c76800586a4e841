import { backend_util } from '@tensorflow/tfjs-core';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** The one loop both depthwise gradients share: every (input pixel, filter tap, output pixel) triple. */
export interface DepthwiseVisit {
  /** Pixel indices of the x pixel, the filter tap (kh*KW+kw) and the dy pixel; times channels gives offsets. */
  (xPixel: number, tap: number, dyPixel: number): void;
}

/** Geometry of a depthwise conv in NHWC, as the grads need it. */
export function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  strides: [number, number] | number,
  dilations: [number, number] | number,
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
}

/**
 * Calls visit for each valid pairing of an output pixel with an input pixel through a filter tap.
 * Offsets are pixel indices (multiply by the channel count to get element offsets).
 */
export function forEachTap(info: backend_util.Conv2DInfo, visit: DepthwiseVisit): void {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let kh = 0; kh < filterHeight; kh++) {
        const ih = oh * strideHeight - padInfo.top + kh * dilationHeight;
        if (ih < 0 || ih >= inHeight) continue;
        for (let ow = 0; ow < outWidth; ow++) {
          const dyPixel = (b * outHeight + oh) * outWidth + ow;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - padInfo.left + kw * dilationWidth;
            if (iw < 0 || iw >= inWidth) continue;
            visit((b * inHeight + ih) * inWidth + iw, kh * filterWidth + kw, dyPixel);
          }
        }
      }
    }
  }
}

import type { DependencyContainer } from 'tsyringe';
import { OnnxNodeBackend } from '../backends/onnx/onnx-node-backend.ts';
import { TRANSFORMER_BACKEND } from '../core/injection-tokens.ts';
import type { TransformerBackend } from '../core/transformer-backend.ts';

/** Registers onnxruntime-node as the container's TRANSFORMER_BACKEND (the Node layer's default). */
export function registerNodeBackend(container: DependencyContainer): void {
  container.register(TRANSFORMER_BACKEND, { useValue: new OnnxNodeBackend() });
}

/**
 * The backend registered in the container, or onnxruntime-node when it has none (a container
 * made by `createSchedulerContainer`, which is runtime-agnostic).
 */
export function transformerBackendIn(container: DependencyContainer): TransformerBackend {
  return container.isRegistered(TRANSFORMER_BACKEND, true) ? container.resolve(TRANSFORMER_BACKEND) : new OnnxNodeBackend();
}

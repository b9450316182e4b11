import { formatBytes } from './about';
import {
  describeGpu,
  describeServerDefault,
  IGpuChoice,
  IKernelRuntime,
  initialType,
  isChange,
  requestedType,
  runtimeMetadata,
  SERVER_DEFAULT
} from './runtimeType';

const H100 = {
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  short_name: 'H100',
  uuid: 'GPU-h100'
};

function runtime(partial: Partial<IKernelRuntime>): IKernelRuntime {
  return {
    kernel_id: 'k',
    type: null,
    label: 'Server default',
    accelerator: null,
    gpus: [],
    summary: 'Server default',
    gateway: false,
    ...partial
  };
}

describe('requestedType', () => {
  it.each([
    [{}, null],
    [{ accelerator: 'GPU', colab: { gpuType: 'T4' } }, 'gpu'],
    [{ accelerator: 'TPU' }, 'tpu'],
    [{ kaggle: { accelerator: 'nvidiaTeslaT4' } }, 'gpu'],
    [{ kaggle: { accelerator: 'gpu' } }, 'gpu'],
    [{ kaggle: { accelerator: 'tpu1vmV38' } }, 'tpu'],
    [{ kaggle: { accelerator: 'none' } }, 'cpu'],
    [{ kaggle: { isGpuEnabled: true } }, 'gpu'],
    [{ accelerator: 'GPU', colab_ext: { runtime_type: 'gpu-2x' } }, 'gpu-2x']
  ])('%j asks for %s', (metadata, type) => {
    expect(requestedType(metadata)).toBe(type);
  });
});

describe('runtimeMetadata', () => {
  it('writes Colab keys for a GPU, keeping other colab keys', () => {
    const changes = runtimeMetadata(
      { colab: { provenance: [] } },
      runtime({ type: 'gpu', accelerator: 'gpu', gpus: [H100] }),
      false
    );
    expect(changes).toEqual({
      accelerator: 'GPU',
      colab: { provenance: [], gpuType: 'H100' },
      colab_ext: { runtime_type: 'gpu' }
    });
    expect(requestedType(changes)).toBe('gpu');
  });

  it('records a GPU picked by hand', () => {
    const changes = runtimeMetadata(
      {},
      runtime({ type: 'gpu', accelerator: 'gpu', gpus: [H100] }),
      true
    );
    expect(changes.colab_ext).toEqual({
      runtime_type: 'gpu',
      gpu: { index: 0, name: 'NVIDIA H100 80GB HBM3' }
    });
  });

  it('removes the accelerator keys for CPU', () => {
    const changes = runtimeMetadata(
      {
        accelerator: 'GPU',
        colab: { gpuType: 'T4' },
        colab_ext: { runtime_type: 'gpu', gpu: { index: 1 } }
      },
      runtime({ type: 'cpu', accelerator: 'cpu' }),
      false
    );
    expect(changes).toEqual({
      accelerator: undefined,
      colab: undefined,
      colab_ext: { runtime_type: 'cpu' }
    });
  });

  it('writes TPU', () => {
    const changes = runtimeMetadata(
      {},
      runtime({ type: 'tpu', accelerator: 'tpu' }),
      false
    );
    expect(changes.accelerator).toBe('TPU');
  });
});

describe('isChange', () => {
  const onGpu = runtime({ type: 'gpu', accelerator: 'gpu', gpus: [H100] });
  it('is a change to another type or another GPU, not to any GPU', () => {
    expect(isChange(null, { type: 'cpu', gpus: [] })).toBe(true);
    expect(isChange(onGpu, { type: 'cpu', gpus: [] })).toBe(true);
    expect(isChange(onGpu, { type: 'gpu', gpus: [] })).toBe(false);
    expect(isChange(onGpu, { type: 'gpu', gpus: ['GPU-h100'] })).toBe(false);
    expect(isChange(onGpu, { type: 'gpu', gpus: ['GPU-a100'] })).toBe(true);
  });
});

describe('a kernel started without a runtime type (#16)', () => {
  const serverDefault = runtime({ sees_all_gpus: true });

  it('is preselected as "Server default", not as CPU or what the notebook asks for', () => {
    expect(initialType(serverDefault, null)).toBe(SERVER_DEFAULT);
    expect(initialType(serverDefault, 'gpu')).toBe(SERVER_DEFAULT);
    expect(
      initialType(runtime({ type: 'cpu', accelerator: 'cpu' }), 'gpu')
    ).toBe('cpu');
    // No kernel yet: the notebook's request.
    expect(initialType(null, 'gpu')).toBe('gpu');
    expect(initialType(null, null)).toBeNull();
  });

  it('is kept as it is when saved unchanged: no restart', () => {
    expect(isChange(serverDefault, { type: SERVER_DEFAULT, gpus: [] })).toBe(
      false
    );
    expect(isChange(serverDefault, { type: 'cpu', gpus: [] })).toBe(true);
    expect(isChange(serverDefault, { type: 'gpu', gpus: [] })).toBe(true);
  });

  it('says which GPUs it sees', () => {
    expect(describeServerDefault(serverDefault, 2)).toBe(
      'Sees all 2 GPUs of this server; started without a runtime type'
    );
    expect(describeServerDefault(serverDefault, 1)).toBe(
      'Sees the GPU of this server; started without a runtime type'
    );
    expect(describeServerDefault(runtime({ gpus: [H100] }), 2)).toBe(
      'Sees GPU #0 H100; started without a runtime type'
    );
    // CUDA_VISIBLE_DEVICES='' inherited from the server.
    expect(describeServerDefault(runtime({ sees_all_gpus: false }), 2)).toBe(
      'Sees no GPU; started without a runtime type'
    );
    expect(describeServerDefault(serverDefault, 0)).toBe(
      'This kernel was started without a runtime type'
    );
  });
});

describe('describeGpu', () => {
  it('shows index, name, free memory and load', () => {
    const gpu: IGpuChoice = {
      ...H100,
      memory_total_bytes: 80 * 1024 ** 3,
      memory_free_bytes: 79.5 * 1024 ** 3,
      runtimes: 2,
      available: true
    };
    expect(describeGpu(gpu, formatBytes)).toBe(
      '#0 NVIDIA H100 80GB HBM3 · 79.5 GiB free · 2 runtimes'
    );
    expect(
      describeGpu({ ...gpu, memory_free_bytes: null, runtimes: 0 }, formatBytes)
    ).toBe('#0 NVIDIA H100 80GB HBM3');
  });
});

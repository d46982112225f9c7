// Memory of the GPU types RunPod rents, by their API ids (public specifications, in GB).
const GPU_MEMORY_GB: Record<string, number> = {
  "NVIDIA GeForce RTX 3090": 24,
  "NVIDIA GeForce RTX 4090": 24,
  "NVIDIA GeForce RTX 5090": 32,
  "NVIDIA RTX A5000": 24,
  "NVIDIA RTX A6000": 48,
  "NVIDIA RTX 6000 Ada Generation": 48,
  "NVIDIA L4": 24,
  "NVIDIA L40S": 48,
  "NVIDIA A40": 48,
  "NVIDIA A100 80GB PCIe": 80,
  "NVIDIA A100-SXM4-80GB": 80,
  "NVIDIA H100 PCIe": 80,
  "NVIDIA H100 80GB HBM3": 80,
  "NVIDIA H100 NVL": 94,
  "NVIDIA H200": 141,
};

/** GPU memory in GB for a RunPod GPU type id, or a number written in it ("… 80GB …"). */
export function gpuMemoryGb(gpuType: string): number | undefined {
  const known = GPU_MEMORY_GB[gpuType];
  if (known !== undefined) return known;
  const written = gpuType.match(/(\d+)\s*GB/i)?.[1];
  return written === undefined ? undefined : Number(written);
}

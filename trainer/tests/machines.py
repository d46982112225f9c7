"""Facts of machines the tests cannot run on: an H100 host, a T4, Macs, a plain CPU box."""

from __future__ import annotations

from wl_trainer.accelerator import AcceleratorFacts, CudaDevice

GIB = 1024**3


def machine(
    *,
    system: str = "Linux",
    machine: str = "x86_64",
    ram_gb: float = 64,
    cuda: tuple[CudaDevice, ...] = (),
    mps: bool = False,
    mps_bf16: bool = False,
    python: tuple[int, int] = (3, 11),
) -> AcceleratorFacts:
    """A machine with the given parts."""
    return AcceleratorFacts(
        system=system,
        machine=machine,
        python=python,
        cpu_name="Test CPU",
        cpu_cores=16,
        ram_bytes=int(ram_gb * 1e9),
        cuda_devices=cuda,
        mps_available=mps,
        mps_bf16=mps_bf16,
    )


H100 = CudaDevice("NVIDIA H100 80GB HBM3", 85_520_809_984, (9, 0))
T4 = CudaDevice("Tesla T4", 15_828_320_256, (7, 5))
RTX_4090 = CudaDevice("NVIDIA GeForce RTX 4090", 25_386_352_640, (8, 9))

H100_HOST = machine(cuda=(H100, H100), ram_gb=256)
T4_HOST = machine(cuda=(T4,))
RTX_4090_HOST = machine(cuda=(RTX_4090,))
CPU_BOX = machine(ram_gb=32)


def mac(ram_gb: float, *, apple_silicon: bool = True) -> AcceleratorFacts:
    """A Mac; Apple Silicon ones have MPS with bf16."""
    return machine(
        system="Darwin",
        machine="arm64" if apple_silicon else "x86_64",
        ram_gb=ram_gb,
        mps=apple_silicon,
        mps_bf16=apple_silicon,
    )

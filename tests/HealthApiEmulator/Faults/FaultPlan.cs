namespace HealthApiEmulator.Faults;

/// <summary>Faults queued for matching requests. (Owned by the host side.)</summary>
public sealed class FaultPlan
{
}

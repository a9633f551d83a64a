using HealthApiEmulator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace HealthApiEmulator.Health;

/// <summary>/v4/users/{user}/… endpoints. (Owned by the Health/data side.)</summary>
internal static class HealthApi
{
    public static void Map(WebApplication app, EmulatorOptions options, EmulatorClock clock, Data.SyntheticPerson person) { }
}

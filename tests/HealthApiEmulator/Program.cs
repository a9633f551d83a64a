namespace HealthApiEmulator;

/// <summary>Standalone emulator: prints its base URL and serves until stopped. (Owned by the host side.)</summary>
public static class Program
{
    public static int Main(string[] args) => 0;
}

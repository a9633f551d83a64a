using Microsoft.Data.Sqlite;
using Xunit;

namespace FitbitPS.Tests.Store;

/// <summary>
/// The engine's SQLite outside PowerShell: a .NET app (this test host, the bench) that references the engine finds
/// e_sqlite3 through its own deps.json (runtimes/&lt;rid&gt;/native beside it), not through the module's loader.
/// In the module the loader does it (ModuleLayoutTests, tests/pester/Coexistence.Tests.ps1).
/// </summary>
public sealed class SqliteTests
{
    [Fact]
    public void An_in_memory_database_opens_with_the_bundled_native_library()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select sqlite_version()";
        Assert.StartsWith("3.", (string)command.ExecuteScalar()!);
    }
}

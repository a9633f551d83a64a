using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Health;

/// <summary>
/// Opaque, tamper-evident page tokens: base64url(query fingerprint ‖ position ‖ HMAC-SHA256 prefix).
/// The position is the (Key, Tie) of the last point served (or the next roll-up window), so points
/// that arrive at the newest end between pages (clock advancing, sync) never shift later pages.
/// A token presented with another query (type, method, filter, family, range) is refused with 400.
/// </summary>
internal sealed class PageTokens
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public static ulong Fingerprint(params string?[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0001", parts.Select(p => p ?? ""))));
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public string Create(ulong fingerprint, long key, int tie)
    {
        var data = new byte[8 + 8 + 4 + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), key);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(16), tie);
        HMACSHA256.HashData(_key, data.AsSpan(0, 20)).AsSpan(0, 16).CopyTo(data.AsSpan(20));
        return Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public (long Key, int Tie) Read(string token, ulong fingerprint)
    {
        byte[] data;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            data = Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
        }
        catch (FormatException) { throw Invalid(); }
        if (data.Length != 36) throw Invalid();
        var mac = HMACSHA256.HashData(_key, data.AsSpan(0, 20)).AsSpan(0, 16);
        if (!CryptographicOperations.FixedTimeEquals(mac, data.AsSpan(20))) throw Invalid();
        if (BinaryPrimitives.ReadUInt64LittleEndian(data) != fingerprint)
            throw GoogleError.InvalidArgument("The page token does not belong to this request: every parameter except pageSize must match the request that returned it.",
                null, new List<(string, string)> { ("pageToken", "Page token does not match the request.") });
        return (BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8)), BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(16)));
    }

    private static GoogleError Invalid()
        => GoogleError.InvalidArgument("Invalid page token.", null, new List<(string, string)> { ("pageToken", "Invalid page token.") });
}

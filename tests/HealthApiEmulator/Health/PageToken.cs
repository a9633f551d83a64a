using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Health;

/// <summary>Where a list/reconcile query resumes: strictly after (Key, Tie) in newest-first order, or from the
/// newest point when <see cref="HasPosition"/> is false (a first page that came back empty). <see cref="Page"/>
/// is the index of the page this cursor asks for (it drives the short-page budget); <see cref="Skipped"/> is the
/// number of points the boundary loss drops by resuming here (bookkeeping for <see cref="PagingCounters"/>).</summary>
internal readonly record struct PageCursor(bool HasPosition, long Key, int Tie, int Page, int Skipped)
{
    /// <summary>Tie-breaker written when the token keeps only the timestamp (evidence §1.2): every point sharing
    /// Key is then "already served".</summary>
    public const int NoTie = int.MinValue;
}

/// <summary>
/// Opaque, tamper-evident page tokens: base64url(query fingerprint ‖ cursor ‖ HMAC-SHA256 prefix).
/// The position is the last point served, so points that arrive at the newest end between pages (clock
/// advancing, sync) never shift later pages. With the live page-boundary loss the token keeps only that point's
/// timestamp, not its tie-breaker. A token presented with another query (type, method, filter, family) is
/// refused with 400.
/// </summary>
internal sealed class PageTokens
{
    private const int DataLength = 8 + 8 + 4 + 4 + 4;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public static ulong Fingerprint(params string?[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0001", parts.Select(p => p ?? ""))));
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public string Create(ulong fingerprint, PageCursor cursor)
    {
        var data = new byte[DataLength + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), cursor.HasPosition ? cursor.Key : long.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(16), cursor.Tie);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(20), cursor.Page);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(24), cursor.Skipped);
        HMACSHA256.HashData(_key, data.AsSpan(0, DataLength)).AsSpan(0, 16).CopyTo(data.AsSpan(DataLength));
        return Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public PageCursor Read(string token, ulong fingerprint)
    {
        byte[] data;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            data = Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
        }
        catch (FormatException) { throw Invalid(); }
        if (data.Length != DataLength + 16) throw Invalid();
        var mac = HMACSHA256.HashData(_key, data.AsSpan(0, DataLength)).AsSpan(0, 16);
        if (!CryptographicOperations.FixedTimeEquals(mac, data.AsSpan(DataLength))) throw Invalid();
        if (BinaryPrimitives.ReadUInt64LittleEndian(data) != fingerprint)
            throw GoogleError.InvalidArgument("The page token does not belong to this request: every parameter except pageSize must match the request that returned it.",
                null, new List<(string, string)> { ("pageToken", "Page token does not match the request.") });
        var key = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8));
        return new PageCursor(key != long.MaxValue, key, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(16)),
            BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(20)), BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(24)));
    }

    private static GoogleError Invalid()
        => GoogleError.InvalidArgument("Invalid page token.", null, new List<(string, string)> { ("pageToken", "Invalid page token.") });
}

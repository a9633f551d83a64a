using System;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;

namespace FitbitPS.Engine.Reading
{
    /// <summary>
    /// The person's home time zone from their Google Health settings. Only physical-time roll-ups
    /// (intraday windows) need it: every other read filters on civil fields and lets Google place
    /// points on the person's own days, trips and DST included. IANA names resolve on .NET (Core)
    /// everywhere; where they don't (Windows PowerShell 5.1), the settings' current utcOffset is used.
    /// </summary>
    internal sealed class PersonZone
    {
        private readonly TimeZoneInfo _zone;
        private readonly TimeSpan _fixedOffset;

        private PersonZone(TimeZoneInfo zone, TimeSpan fixedOffset, string name)
        {
            _zone = zone; _fixedOffset = fixedOffset; Name = name;
        }

        public string Name { get; }

        public static PersonZone From(Settings settings)
        {
            if (!string.IsNullOrEmpty(settings?.TimeZone))
            {
                try { return new PersonZone(TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone), TimeSpan.Zero, settings.TimeZone); }
                catch (TimeZoneNotFoundException) { }
                catch (InvalidTimeZoneException) { }
            }
            var offset = settings?.UtcOffset ?? TimeSpan.Zero;
            return new PersonZone(null, offset, settings?.TimeZone ?? "UTC" + (offset >= TimeSpan.Zero ? "+" : "-") + offset.ToString(@"hh\:mm"));
        }

        public static PersonZone Of(TimeZoneInfo zone) => new PersonZone(zone, TimeSpan.Zero, zone.Id);

        /// <summary>The zone of the person <paramref name="client"/> reads for (their settings: one request per client).</summary>
        internal static async Task<PersonZone> ReadAsync(HealthClient client, CancellationToken cancellationToken)
        {
            var settings = await client.GetCachedSettingsAsync(cancellationToken).ConfigureAwait(false);
            return From(settings);
        }

        /// <summary>The instant the calendar day starts (midnight; the first valid time if midnight is skipped by DST).</summary>
        public DateTimeOffset StartOfDay(DateTime day)
        {
            var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
            if (_zone == null) return new DateTimeOffset(local, _fixedOffset);
            while (_zone.IsInvalidTime(local)) local = local.AddMinutes(30);
            var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local)[0] : _zone.GetUtcOffset(local);
            return new DateTimeOffset(local, offset);
        }

        /// <summary>An instant as the person's local time with its offset.</summary>
        public DateTimeOffset Local(DateTimeOffset instant)
            => _zone == null ? instant.ToOffset(_fixedOffset) : TimeZoneInfo.ConvertTime(instant, _zone);
    }
}

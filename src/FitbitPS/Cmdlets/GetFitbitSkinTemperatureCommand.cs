using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Nightly skin temperature and its variation from the personal baseline.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitSkinTemperature")]
    [OutputType(typeof(SkinTemperature))]
    public sealed class GetFitbitSkinTemperatureCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading skin temperature";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadSkinTemperature(range, ct));
    }
}

// A small executable that multi-process tests start many times at once: real processes that share
// one profile's token cache or one export folder. The first argument picks the job.
using FitbitPS.TestHost;

return args.Length == 0 ? Usage() : args[0] switch
{
    "auth" => await AuthJobs.RunAsync(args.Skip(1).ToArray()),
    "export" => await ExportJobs.RunAsync(args.Skip(1).ToArray()),
    "read" => ReadJobs.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FitbitPS.TestHost auth|export|read <args>");
    return 64;
}

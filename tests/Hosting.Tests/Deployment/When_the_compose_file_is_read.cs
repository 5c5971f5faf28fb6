using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PrunerPipeline.Hosting.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is kept honest by reading it: every service gets the same
/// settings as the infra scripts, secrets come from the environment, rollout workers can scale.
/// </summary>
public sealed partial class When_the_compose_file_is_read
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly string[] PipelineServices = ["orchestrator", "rolloutservice", "rewardservice", "trainerservice", "evalservice"];
    private readonly YamlMappingNode services;

    public When_the_compose_file_is_read()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    [Fact]
    public void Every_pipeline_service_builds_its_own_dockerfile_target_for_an_existing_project()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var projects = new Dictionary<string, string>
        {
            ["orchestrator"] = "Orchestrator", ["rolloutservice"] = "RolloutService", ["rewardservice"] = "RewardService",
            ["trainerservice"] = "TrainerService", ["evalservice"] = "EvalService",
        };
        foreach (var name in PipelineServices)
        {
            var build = (YamlMappingNode)Service(name)["build"];
            Assert.Equal(name, Scalar(build["target"]));
            Assert.Contains($"FROM runtime AS {name}\n", dockerfile);
            Assert.Contains($"dotnet publish src/{projects[name]} -c Release -o /app/{name}", dockerfile);
            Assert.Contains($"\"/app/PrunerPipeline.{projects[name]}.dll\"", dockerfile);
            Assert.True(File.Exists(Path.Combine(Root, "src", projects[name], projects[name] + ".csproj")), projects[name]);
        }
    }

    [Fact]
    public void Services_use_the_same_settings_as_the_infra_scripts_with_compose_host_names()
    {
        var scriptKeys = ExportedKeys().Order().ToList();
        foreach (var name in PipelineServices)
        {
            var environment = Environment(name);
            Assert.Equal(scriptKeys, environment.Keys.Where(k => k != "Datasets__Root").Order());
            Assert.Equal("rabbitmq", environment["Bus__Transport"]);
            Assert.Equal("rabbitmq", environment["Bus__Host"]);
            Assert.Equal("5672", environment["Bus__Port"]);
            Assert.Equal("azure", environment["Artifacts__Provider"]);
            Assert.Contains("BlobEndpoint=http://azurite:10000/devstoreaccount1", environment["Artifacts__ConnectionString"]);
        }
    }

    [Fact]
    public void The_broker_password_comes_only_from_the_environment_and_guest_is_not_used()
    {
        foreach (var name in PipelineServices)
        {
            Assert.Equal("${PRUNER_RABBITMQ_PASSWORD:?set PRUNER_RABBITMQ_PASSWORD}", Environment(name)["Bus__Password"]);
            Assert.NotEqual("guest", Environment(name)["Bus__Username"]);
        }
        var rabbit = Environment("rabbitmq");
        Assert.Equal("${PRUNER_RABBITMQ_PASSWORD:?set PRUNER_RABBITMQ_PASSWORD}", rabbit["PRUNER_SERVICES_PASSWORD"]);
        Assert.Equal("${PRUNER_RABBITMQ_USER:-pruner}", rabbit["PRUNER_SERVICES_USER"]);
        Assert.Contains("management", Scalar(Service("rabbitmq")["image"]));
    }

    [Fact]
    public void The_console_user_is_not_the_services_user_and_the_services_user_gets_no_tags()
    {
        var rabbit = Environment("rabbitmq");
        // The broker's default user is its administrator: that must be the console's, as infra/rabbitmq.sh does.
        Assert.Equal("${PRUNER_RABBITMQ_CONSOLE_USER:-pruner-console}", rabbit["RABBITMQ_DEFAULT_USER"]);
        Assert.Equal("${PRUNER_RABBITMQ_CONSOLE_PASSWORD:?set PRUNER_RABBITMQ_CONSOLE_PASSWORD}", rabbit["RABBITMQ_DEFAULT_PASS"]);
        Assert.NotEqual(rabbit["RABBITMQ_DEFAULT_USER"], Environment("orchestrator")["Bus__Username"]);
        var script = string.Join('\n', ((YamlSequenceNode)Service("rabbitmq")["command"]).Select(Scalar));
        Assert.Contains("set_user_tags \"$$PRUNER_SERVICES_USER\"\n", script);
        // The password goes to rabbitmqctl on stdin, never as an argument (it would show in `ps`).
        Assert.Contains("printf '%s' \"$$PRUNER_SERVICES_PASSWORD\" | rabbitmqctl -q add_user \"$$PRUNER_SERVICES_USER\"", script);
        Assert.DoesNotMatch(@"add_user\s+\S+\s+\S*PASSWORD", script);
        var infra = File.ReadAllText(Path.Combine(Root, "infra", "rabbitmq.sh"));
        Assert.Contains("ctl set_user_tags \"$PRUNER_RABBITMQ_USER\" >/dev/null", infra);
        Assert.Contains("ctl set_user_tags \"$PRUNER_RABBITMQ_CONSOLE_USER\" administrator", infra);
    }

    [Fact]
    public void Azurite_is_pinned_and_started_like_the_scripts()
    {
        var azurite = Service("azurite");
        Assert.EndsWith(":3.35.0", Scalar(azurite["image"]));
        var command = ((YamlSequenceNode)azurite["command"]).Select(Scalar).ToList();
        Assert.Contains("--skipApiVersionCheck", command);
        Assert.Contains("--disableTelemetry", command);
        Assert.Equal("10000", command[command.IndexOf("--blobPort") + 1]);
        Assert.Equal("10002", command[command.IndexOf("--tablePort") + 1]);
        var script = File.ReadAllText(Path.Combine(Root, "infra", "azurite.sh"));
        Assert.Contains("--skipApiVersionCheck --disableTelemetry", script);
    }

    [Fact]
    public void Rollout_workers_can_be_scaled_and_every_service_waits_for_healthy_infrastructure()
    {
        var rollout = Service("rolloutservice");
        // A fixed container name or host port would make `--scale rolloutservice=3` fail.
        Assert.False(rollout.Children.ContainsKey("container_name"));
        Assert.False(rollout.Children.ContainsKey("ports"));
        foreach (var name in PipelineServices)
        {
            var dependsOn = (YamlMappingNode)Service(name)["depends_on"];
            Assert.Equal("service_healthy", Scalar(((YamlMappingNode)dependsOn["rabbitmq"])["condition"]));
            Assert.Equal("service_healthy", Scalar(((YamlMappingNode)dependsOn["azurite"])["condition"]));
            var health = ((YamlSequenceNode)((YamlMappingNode)Service(name)["healthcheck"])["test"]).Select(Scalar).ToList();
            Assert.Contains("/tmp/pruner-health", string.Join(' ', health));
        }
        foreach (var name in new[] { "rabbitmq", "azurite" })
        {
            Assert.True(Service(name).Children.ContainsKey("healthcheck"), name);
        }
    }

    private YamlMappingNode Service(string name) => (YamlMappingNode)services[name];

    private Dictionary<string, string> Environment(string name) =>
        ((YamlMappingNode)Service(name)["environment"]).Children.ToDictionary(kv => Scalar(kv.Key), kv => Scalar(kv.Value));

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    /// <summary>The variables infra/env.sh's pruner_service_environment exports for the services.</summary>
    private static IEnumerable<string> ExportedKeys() =>
        ExportPattern().Matches(File.ReadAllText(Path.Combine(Root, "infra", "env.sh"))).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"echo ""export (\w+__\w+)=")]
    private static partial Regex ExportPattern();
}

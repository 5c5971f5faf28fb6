using System.Text.Json;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>report.json is read back (the demo's comparison, a re-published evaluation): its model rows keep every field, in order, through a round trip.</summary>
public sealed class When_a_report_is_read_back
{
    private const string Method = """
        {
          "label": "O1-Pruner",
          "accuracy": 0.5,
          "meanLength": 120.5,
          "p50Length": 100,
          "p90Length": 141,
          "problems": 2,
          "truncated": 1,
          "wallSeconds": 2.5,
          "tokensPerSecond": 96.4,
          "deltaLength": -0.25,
          "deltaAccuracy": 0.1,
          "aes": 0.3,
          "aesPaper": 0.35,
          "runId": "run-1",
          "checkpoint": "step-000010",
          "lambda": 2,
          "trainingTokensSampled": 1234,
          "perDataset": [
            {
              "dataset": "gsm8k",
              "problems": 2,
              "accuracy": 0.5,
              "meanLength": 120.5,
              "length": {
                "count": 2,
                "mean": 120.5,
                "p50": 100,
                "p90": 141,
                "min": 100,
                "max": 141
              },
              "wallSeconds": 2.5,
              "tokensPerSecond": 96.4,
              "truncated": 1,
              "byLevel": [
                {
                  "level": 1,
                  "problems": 2,
                  "accuracy": 0.5,
                  "meanLength": 120.5
                }
              ],
              "lengths": []
            }
          ],
          "byLevel": [
            {
              "level": 1,
              "problems": 2,
              "accuracy": 0.5,
              "meanLength": 120.5
            }
          ],
          "lengths": [
            100,
            141
          ]
        }
        """;

    private const string Reference = """
        {
          "label": "Reference",
          "accuracy": 0.4,
          "meanLength": 160,
          "p50Length": 150,
          "p90Length": 170,
          "problems": 2,
          "truncated": 0,
          "wallSeconds": 3,
          "tokensPerSecond": 106.66666666666667,
          "perDataset": [],
          "byLevel": [],
          "lengths": []
        }
        """;

    [Theory]
    [InlineData(Method)]
    [InlineData(Reference)]
    public void A_model_row_is_written_again_as_it_was_read(string json)
    {
        var row = JsonSerializer.Deserialize<ModelResult>(json, ReportDocuments.JsonOptions)!;

        Assert.Equal(json.ReplaceLineEndings("\n"), JsonSerializer.Serialize(row, ReportDocuments.JsonOptions).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_blob_read_through_the_artifact_store_options_keeps_every_field()
    {
        var row = JsonSerializer.Deserialize<ModelResult>(Method, ArtifactStoreExtensions.JsonOptions)!;

        Assert.Equal(Method.ReplaceLineEndings("\n"), JsonSerializer.Serialize(row, ReportDocuments.JsonOptions).ReplaceLineEndings("\n"));
        Assert.Equal("gsm8k", row.PerDataset.Single().Dataset);
        Assert.Equal(141, row.PerDataset.Single().Length.P90);
    }
}

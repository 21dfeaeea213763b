import { useEffect } from "react";
import { Form, useActionData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Layout, ProgressBar, Text } from "@shopify/polaris";
import { t } from "../../i18n";
import type { Activity, Progress } from "../../admin/activity.server";
import { AppPage, useToast } from "./app-frame";
import { count, when } from "./format";

const POLL_MS = 1_000;

function duration(seconds: number): string {
  return seconds < 90 ? t("activity.seconds", { n: seconds }) : t("activity.minutes", { n: Math.round(seconds / 60) });
}

function statusBadge(status: string) {
  const tone = status === "completed" ? "success" : status === "failed" ? "critical" : "info";
  const label =
    status === "running" || status === "completed" || status === "failed" ? t(`activity.status.${status}`) : status;
  return <Badge tone={tone}>{label}</Badge>;
}

function ProgressCard({
  title,
  progress,
  label,
  doneText,
  waiting,
  testId,
}: {
  title: string;
  progress: Progress | null;
  label: (p: Progress) => string;
  doneText: (p: Progress) => string;
  waiting: (p: Progress) => string | null;
  testId: string;
}) {
  const share = progress && progress.total ? Math.min(1, progress.done / progress.total) : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {progress ? statusBadge(progress.status) : null}
        </InlineStack>
        {!progress ? (
          <Text as="p">{t("activity.backfill.notStarted")}</Text>
        ) : progress.status === "running" ? (
          <BlockStack gap="200">
            {waiting(progress) ? <Text as="p">{waiting(progress)}</Text> : null}
            <div data-testid={testId} data-done={progress.done} data-total={progress.total ?? ""}>
              <ProgressBar progress={Math.round(share * 100)} size="small" ariaLabelledBy={`${testId}-label`} />
            </div>
            <Text as="p" id={`${testId}-label`}>
              {label(progress)}
              {progress.secondsLeft !== null
                ? ` · ${t("activity.backfill.timeLeft", { time: duration(progress.secondsLeft) })}`
                : ""}
            </Text>
          </BlockStack>
        ) : (
          <Text as="p">
            {progress.status === "failed" ? `${progress.step ?? ""}: ${progress.error ?? ""}` : doneText(progress)}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export function ActivityPage({ data }: { data: Activity }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const result = useActionData<{ ok: boolean; done?: string; error?: string }>();
  const toast = useToast();
  useEffect(() => {
    if (!data.running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [data.running, revalidator]);
  useEffect(() => {
    if (result?.ok)
      toast(t(result.done === "recompute" ? "activity.recompute.enqueued" : "activity.reconcile.enqueued"));
  }, [result, toast]);
  const busy = navigation.state === "submitting";
  return (
    <AppPage title={t("activity.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <ProgressCard
            title={t("activity.backfill.title")}
            progress={data.backfill}
            testId="backfill-progress"
            waiting={(p) =>
              p.step === "orders-export"
                ? t("activity.backfill.exporting")
                : p.step?.startsWith("customers")
                  ? t("activity.backfill.customers", { done: count(p.done) })
                  : null
            }
            label={(p) =>
              p.total !== null
                ? t("activity.backfill.progress", { done: count(p.done), total: count(p.total) })
                : t("activity.backfill.progressUnknown", { done: count(p.done) })
            }
            doneText={(p) => t("activity.backfill.done", { date: when(p.finishedAt) })}
          />
        </Layout.Section>
        <Layout.Section>
          <ProgressCard
            title={t("activity.recompute.title")}
            progress={data.recompute}
            testId="recompute-progress"
            waiting={(p) =>
              p.step === "fit" || p.step === "read"
                ? t("activity.recompute.fitting")
                : p.step === "writeback"
                  ? t("activity.recompute.writeback")
                  : null
            }
            label={(p) =>
              t("activity.recompute.progress", { done: count(p.done), total: p.total === null ? "…" : count(p.total) })
            }
            doneText={(p) => t("activity.recompute.last", { date: when(p.finishedAt) })}
          />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("activity.reconcile.title")}
              </Text>
              <Text as="p">
                {data.lastReconciledAt
                  ? t("activity.reconcile.last", { date: when(data.lastReconciledAt), repaired: data.lastRepairs ?? 0 })
                  : t("activity.reconcile.never")}
              </Text>
              {result && !result.ok ? (
                <Text as="p" tone="critical">
                  {result.error}
                </Text>
              ) : null}
              <InlineStack gap="200">
                {(["recompute", "reconcile"] as const).map((intent) => (
                  <Form method="post" key={intent}>
                    <input type="hidden" name="intent" value={intent} />
                    <Button submit disabled={!data.installed || busy}>
                      {t(intent === "recompute" ? "activity.recompute.run" : "activity.reconcile.run")}
                    </Button>
                  </Form>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("activity.jobs.title")}
              </Text>
              {data.runs.length === 0 ? (
                <Text as="p">{t("activity.jobs.empty")}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={[
                    t("activity.jobs.kind"),
                    t("activity.jobs.status"),
                    t("activity.jobs.step"),
                    t("activity.jobs.started"),
                    t("activity.jobs.error"),
                  ]}
                  rows={data.runs.map((run) => [
                    run.kind,
                    statusBadge(run.status),
                    run.step ?? "",
                    when(run.startedAt),
                    run.error ?? "",
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { login } from "../../shopify.server";

import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);

  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }

  return { showForm: Boolean(login) };
};

export default function App() {
  const { showForm } = useLoaderData<typeof loader>();

  return (
    <div className={styles.index}>
      <div className={styles.content}>
        <h1 className={styles.heading}>Behavioral segments for your customers</h1>
        <p className={styles.text}>
          RFM, loyalty, predicted lifetime value and more, kept in sync with your customer tags.
        </p>
        {showForm && (
          <Form className={styles.form} method="post" action="/auth/login">
            <label className={styles.label}>
              <span>Shop domain</span>
              <input className={styles.input} type="text" name="shop" />
              <span>e.g: my-shop-domain.myshopify.com</span>
            </label>
            <button className={styles.button} type="submit">
              Log in
            </button>
          </Form>
        )}
        <ul className={styles.list}>
          <li>
            <strong>Every dimension</strong>. Purchase behavior, usage rate, loyalty, predicted CLV, occasions, benefits
            sought and your own rules.
          </li>
          <li>
            <strong>Always current</strong>. New orders reach a customer&apos;s segments within seconds.
          </li>
          <li>
            <strong>Where you work</strong>. Customer tags, metafields and native Shopify segments, each membership with
            its reason.
          </li>
        </ul>
      </div>
    </div>
  );
}

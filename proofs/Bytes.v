(* Bytes.v - little-endian byte lists: the value of k bytes is below
   2^(8k); storing a word as bytes and loading them back gives the word. *)

Require Import ZArith Lia List.
Require Import VEP.Machine.
Open Scope Z_scope.

Lemma from_bytes_range : forall l,
  Forall is_byte l -> 0 <= from_bytes l < 2 ^ (8 * Z.of_nat (length l)).
Proof.
  induction l as [|b l IH]; cbn [from_bytes length]; intros H.
  - simpl; lia.
  - inversion H as [|? ? Hb Hl]; subst; specialize (IH Hl); unfold is_byte in Hb.
    rewrite Nat2Z.inj_succ, Z.mul_succ_r, Z.pow_add_r by lia.
    change (2 ^ 8) with 256; nia.
Qed.

Lemma to_bytes_length : forall k x, length (to_bytes k x) = k.
Proof. induction k; simpl; auto. Qed.

Lemma to_bytes_bytes : forall k x, Forall is_byte (to_bytes k x).
Proof.
  induction k; simpl; intros x; constructor; auto.
  unfold is_byte; apply Z.mod_pos_bound; lia.
Qed.

Lemma from_to_bytes : forall k x,
  from_bytes (to_bytes k x) = x mod 2 ^ (8 * Z.of_nat k).
Proof.
  induction k as [|k IH]; cbn [to_bytes from_bytes]; intros x.
  - rewrite Z.mul_0_r, Z.pow_0_r, Z.mod_1_r; reflexivity.
  - rewrite IH, Nat2Z.inj_succ, Z.mul_succ_r, Z.pow_add_r by lia.
    change (2 ^ 8) with 256; rewrite (Z.mul_comm _ 256).
    rewrite Z.rem_mul_r by (try apply pow2_pos; lia); reflexivity.
Qed.

(* Byte swaps of w = 16, 32, 64 bits give a value below 2^w. *)
Lemma bswap_word : forall w x, (w = 16 \/ w = 32 \/ w = 64) -> word w (bswap w x).
Proof.
  intros w x Hw; unfold bswap, word.
  pose proof (from_bytes_range (rev (to_bytes (Z.to_nat (w / 8)) x))) as R.
  rewrite rev_length, to_bytes_length in R.
  assert (E : 8 * Z.of_nat (Z.to_nat (w / 8)) = w)
    by (destruct Hw as [-> | [-> | ->]]; reflexivity).
  rewrite E in R; apply R.
  apply Forall_rev, to_bytes_bytes.
Qed.

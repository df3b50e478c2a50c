(* Pointer.v - rules ptr_mov, ptr_add, ptr_sub, ptr_diff
   (vep-ebpf/src/alu.c: alu_ptr, ptr_diff; docs/proof-format.md 7.2): every
   rule preserves the pointer invariant m = (base + o) mod 2^64 with the
   offset o a mathematical integer. No platform assumption is needed. *)

Require Import ZArith Lia List.
Require Import VEP.Machine.
Open Scope Z_scope.

(* ptr_mov: ALU64 MOV copies the register (value and invariant). *)
Theorem ptr_mov : forall B o d m, ptr_inv B o m -> ptr_inv B o (alu64 MOV d m).
Proof. auto. Qed.

(* ptr_add: pointer + scalar y, either order: offset o + y. *)
Theorem ptr_add_scalar : forall B o m y,
  ptr_inv B o m ->
  ptr_inv B (o + y) (alu64 ADD m y) /\ ptr_inv B (o + y) (alu64 ADD y m).
Proof.
  unfold ptr_inv, alu64; intros B o m y ->; cbn [alu_op].
  rewrite Zplus_mod_idemp_l, Zplus_mod_idemp_r; split; f_equal; ring.
Qed.

(* ptr_add with an immediate: the machine adds the sign-extended
   immediate, the checker adds imm to the offset. *)
Theorem ptr_add_imm : forall B o m imm,
  imm32 imm -> ptr_inv B o m -> ptr_inv B (o + imm) (alu64 ADD m (sext_imm imm)).
Proof.
  unfold ptr_inv, alu64; intros B o m imm H ->; cbn [alu_op].
  rewrite sext_imm_mod, Zplus_mod_idemp_l, Zplus_mod_idemp_r by auto.
  f_equal; ring.
Qed.

(* ptr_sub: pointer - scalar y: offset o - y. *)
Theorem ptr_sub_scalar : forall B o m y,
  ptr_inv B o m -> ptr_inv B (o - y) (alu64 SUB m y).
Proof.
  unfold ptr_inv, alu64; intros B o m y ->; cbn [alu_op].
  rewrite Zminus_mod_idemp_l; f_equal; ring.
Qed.

(* ptr_sub with an immediate: offset o - imm. *)
Theorem ptr_sub_imm : forall B o m imm,
  imm32 imm -> ptr_inv B o m -> ptr_inv B (o - imm) (alu64 SUB m (sext_imm imm)).
Proof.
  unfold ptr_inv, alu64; intros B o m imm H ->; cbn [alu_op].
  rewrite sext_imm_mod, Zminus_mod_idemp_l, Zminus_mod_idemp_r by auto.
  f_equal; ring.
Qed.

(* base(PACKET_END) = data + len (platform assumption 2): a PACKET_END
   pointer with offset o is a pointer to data with offset eff = len + o;
   a PACKET pointer has eff = o. *)
Lemma packet_end_eff : forall data len o m,
  ptr_inv (data + len) o m <-> ptr_inv data (len + o) m.
Proof.
  unfold ptr_inv; intros; rewrite Z.add_assoc; reflexivity.
Qed.

(* ptr_diff: the difference of two packet pointers (same base data) is
   kept as e = eff(dst) - eff(src) once NO_WRAP_LOW (e >= 0) and
   NO_WRAP_HIGH (2^64 - 1 - e >= 0) are certified; otherwise the result is
   fresh(2^64 - 1) (Alu.alu_result_word). *)
Theorem ptr_diff_exact : forall data e1 e2 m1 m2,
  ptr_inv data e1 m1 -> ptr_inv data e2 m2 ->
  0 <= e1 - e2 -> 0 <= wmax 64 - (e1 - e2) ->
  alu64 SUB m1 m2 = e1 - e2.
Proof.
  unfold ptr_inv, alu64, wmax; intros data e1 e2 m1 m2 -> -> H1 H2; cbn [alu_op].
  rewrite Zminus_mod_idemp_l, Zminus_mod_idemp_r.
  replace (data + e1 - (data + e2)) with (e1 - e2) by ring.
  apply Z.mod_small; lia.
Qed.

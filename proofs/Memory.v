(* Memory.v - rules mem_ctx, mem_packet, mem_stack (vep-ebpf/src/mem.c) and
   lddw (vep-ebpf/src/exec.c): load ranges, spills, addresses. Memory is
   bytes; a load of s bytes reads them little-endian (platform assumption
   1). *)

Require Import ZArith Lia List.
Require Import VEP.Machine VEP.Bytes.
Open Scope Z_scope.

(* mem.c:loaded (mem_packet and mem_stack loads; mem_ctx u32 fields): a
   zero-extending load of s bytes gives fresh(2^(8s) - 1). *)
Theorem load_range : forall l,
  Forall is_byte l ->
  0 <= from_bytes l <= 2 ^ (8 * Z.of_nat (length l)) - 1.
Proof. intros l H; pose proof (from_bytes_range l H); lia. Qed.

(* ... an 8-byte load gives fresh(2^64 - 1). *)
Corollary load8_range : forall l,
  Forall is_byte l -> length l = 8%nat -> word 64 (from_bytes l).
Proof.
  intros l H L; pose proof (from_bytes_range l H) as R; rewrite L in R.
  exact R.
Qed.

(* ... a sign-extending load (MEMSX) gives fresh(2^64 - 1). *)
Theorem load_sx_range : forall l, word 64 (load_sx l).
Proof. intros; apply mod_word; lia. Qed.

(* mem.c:stack_store/stack_load: an aligned 8-byte load of a slot holding
   a spill gives the spilled value: STX of a 64-bit register value v writes
   its 8 bytes, and reading them back gives v. *)
Theorem spill_reload : forall v, word 64 v -> from_bytes (to_bytes 8 v) = v.
Proof. intros v H; rewrite from_to_bytes; apply mod_small_word; auto. Qed.

(* ... for ST the spilled value is the checker's constant
   (vep_int)(uint64_t)(int64_t)imm = imm mod 2^64, and the machine stores
   the sign-extended immediate. *)
Theorem spill_st_imm : forall imm,
  imm32 imm -> from_bytes (to_bytes 8 (sext_imm imm)) = imm mod 2 ^ 64.
Proof.
  intros imm H; rewrite spill_reload, sext_imm_mod by (auto; apply mod_word; lia).
  reflexivity.
Qed.

(* exec.c:vep_exec_lddw: imm | next.imm << 32 is the 64-bit word
   (imm mod 2^32) + 2^32 * (next.imm mod 2^32). *)
Theorem lddw_value : forall lo hi,
  lddw lo hi = lo mod 2 ^ 32 + 2 ^ 32 * (hi mod 2 ^ 32) /\ word 64 (lddw lo hi).
Proof.
  intros lo hi; unfold lddw.
  assert (D : Z.land (lo mod 2 ^ 32) (Z.shiftl (hi mod 2 ^ 32) 32) = 0).
  { apply Z.bits_inj'; intros i Hi; rewrite Z.land_spec, Z.bits_0.
    destruct (Z_lt_le_dec i 32).
    - rewrite Z.shiftl_spec_low by lia; apply Bool.andb_false_r.
    - rewrite Z.mod_pow2_bits_high by lia; reflexivity. }
  rewrite <- Z.lxor_lor, <- Z.add_nocarry_lxor, Z.shiftl_mul_pow2 by (auto; lia).
  pose proof (Z.mod_pos_bound lo (2 ^ 32)); pose proof (Z.mod_pos_bound hi (2 ^ 32)).
  split; [ring | unfold word; lia].
Qed.

(* ---- addresses --------------------------------------------------------------- *)
(* A pointer with base B and offset o (ptr_inv) plus the instruction's
   offset off (sign-extended, so congruent to off mod 2^64) addresses
   B + (o + off) without wrapping when |o + off| < 2^32 (platform
   assumption 3). *)
Lemma addr_no_wrap : forall B o m off,
  platform_base B -> ptr_inv B o m -> - 2 ^ 32 <= o + off < 2 ^ 32 ->
  (m + off) mod 2 ^ 64 = B + (o + off).
Proof.
  intros B o m off [HB1 HB2] Hm Ha; unfold ptr_inv in Hm; subst m.
  rewrite Zplus_mod_idemp_l, <- Z.add_assoc; apply Z.mod_small; lia.
Qed.

(* mem.c:mem_packet: once ACCESS_LOW (o + off >= 0) and ACCESS_HIGH
   (len - (o + off + s) >= 0) are certified, the s bytes accessed lie in
   the packet [data, data + len). *)
Theorem mem_packet_sound : forall data len o m off s,
  platform_base data -> packet_len len -> ptr_inv data o m -> 0 <= s ->
  0 <= o + off -> 0 <= len - (o + off + s) ->
  let addr := (m + off) mod 2 ^ 64 in
  addr = data + (o + off) /\ data <= addr /\ addr + s <= data + len.
Proof.
  intros data len o m off s HB Hl Hm Hs Hlo Hhi addr; subst addr.
  unfold packet_len in Hl.
  rewrite (addr_no_wrap data o m off) by (auto; lia); lia.
Qed.

(* mem.c:mem_stack: a constant offset with -512 <= o + off and
   o + off + s <= 0 accesses the 512-byte frame below the stack base B. *)
Theorem mem_stack_sound : forall B o m off s,
  platform_base B -> ptr_inv B o m -> 0 <= s ->
  -512 <= o + off -> o + off + s <= 0 ->
  let addr := (m + off) mod 2 ^ 64 in
  addr = B + (o + off) /\ B - 512 <= addr /\ addr + s <= B.
Proof.
  intros B o m off s HB Hm Hs Hlo Hhi addr; subst addr.
  rewrite (addr_no_wrap B o m off) by (auto; lia); lia.
Qed.

(* mem.c:mem_ctx: a constant offset o + off of a context field (0..20)
   addresses exactly that field of the context at B. *)
Theorem mem_ctx_sound : forall B o m off,
  platform_base B -> ptr_inv B o m -> 0 <= o + off <= 2 ^ 31 ->
  (m + off) mod 2 ^ 64 = B + (o + off).
Proof. intros; apply addr_no_wrap; auto; lia. Qed.
